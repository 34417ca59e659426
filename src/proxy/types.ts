/**
 * Types shared inside the proxy and the modes: the logger shape the proxy
 * needs (pino's Logger satisfies it) and the services one request may use.
 */
import type { PicketConfig } from '../config/types.ts';
import type { Route } from '../discovery/types.ts';
import type { Waf } from '../engine/api.ts';
import type { Observer } from '../observability/types.ts';

/** The part of pino's API the proxy calls. `pino()` and `logger.child()` both fit. */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** How a route's endpoints are chosen. */
export type BalancingStrategy = 'round-robin' | 'least-pending';

export interface ProxyOptions {
  readonly config: PicketConfig;
  /** The compiled ruleset for a route (undefined: no route matched). Called once per request. */
  wafFor(route: Route | undefined): Waf;
  readonly observer: Observer;
  readonly logger: Logger;
  /** Default 'round-robin'. */
  readonly balancing?: BalancingStrategy;
  /** How long an endpoint that refused a connection is left out, default 5000 ms. */
  readonly ejectMs?: number;
  /** Request-body bytes held for inspection across all requests, default 256 MiB. */
  readonly bodyBufferBytes?: number;
}
