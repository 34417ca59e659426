/**
 * A Mode decides what picket does with a request once the proxy has accepted
 * it: inline (inspect, block, forward), detect (inspect, forward, never
 * block) or mirror (answer at once, inspect a copy out of the request path,
 * never forward). Which mode handles a request is decided in one place,
 * modes/index.ts selectMode.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PicketConfig, Mode as ModeName } from '../config/types.ts';
import type { Route } from '../discovery/types.ts';
import type { Waf } from '../engine/api.ts';
import type { Observer } from '../observability/types.ts';
import type { AddressSet } from '../proxy/addresses.ts';
import type { ByteBudget } from '../proxy/byte-budget.ts';
import type { Logger } from '../proxy/types.ts';
import type { RouteEntry } from '../proxy/upstreams.ts';
import type { MirrorQueue } from './mirror-queue.ts';

export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

/** What every mode may use; built once per proxy. */
export interface ModeServices {
  readonly config: PicketConfig;
  readonly observer: Observer;
  readonly logger: Logger;
  wafFor(route: Route | undefined): Waf;
  /** The route table lookup (mirror mode routes on the original Host and URI). */
  routeFor(host: string | undefined, target: string): RouteEntry | undefined;
  readonly trustedProxies: AddressSet;
  readonly mirrorSources: AddressSet;
  readonly mirrorQueue: MirrorQueue;
  /** Process-wide cap on request-body bytes held for inspection. */
  readonly bodyBudget: ByteBudget;
}

/** One accepted request, before any mode has looked at it. */
export interface ExchangeBase {
  readonly id: string;
  /** Date.now() when the request head was parsed. */
  readonly startedAt: number;
  readonly req: IncomingMessage;
  /** The TCP peer. */
  readonly peer: SocketAddress;
  /** picket's own address on this connection. */
  readonly local: SocketAddress;
  /** Route chosen from Host and path (undefined: none matched). */
  readonly route: RouteEntry | undefined;
  /** origin-form target to forward (absolute-form requests are reduced to path and query). */
  readonly forwardPath: string;
  /**
   * The authority of an absolute-form target. It names the host instead of
   * the Host header (RFC 9112 §3.2.2), so it is routed on and sent upstream as Host.
   */
  readonly absoluteHost?: string;
  /**
   * The client sent `Expect: 100-continue` and waits for `100 Continue`
   * before its body: the mode sends it (res.writeContinue) only once the
   * request head has passed, so a blocked request never uploads.
   */
  readonly expectContinue: boolean;
  readonly services: ModeServices;
}

export interface Exchange extends ExchangeBase {
  readonly res: ServerResponse;
}

/** A request with `Upgrade` (WebSocket), after node handed over the raw socket. */
export interface UpgradeExchange extends ExchangeBase {
  readonly socket: Duplex;
  /** Bytes the client sent after the request head. */
  readonly head: Buffer;
}

export interface Mode {
  readonly name: ModeName;
  /** Handles the request completely (answer, forward, report). Must not throw. */
  handle(exchange: Exchange): Promise<void>;
  handleUpgrade(exchange: UpgradeExchange): Promise<void>;
}
