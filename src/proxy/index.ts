/**
 * picket's proxy: the public entry point the CLI calls.
 *
 * Description:
 *   createProxy builds the HTTP front (server.ts), the route table and
 *   upstream pools (upstreams.ts), and the modes (src/modes/). It does not
 *   listen until listen() is called and handles no signals: on SIGTERM the
 *   CLI calls close(graceMs).
 *
 * Arguments (ProxyOptions, types.ts):
 *   config     the frozen PicketConfig. Used: mode, listen, upstreams (a
 *              static one-route snapshot applied at once when non-empty),
 *              limits, trustedProxies, mirror.
 *   wafFor     route → compiled Waf; called once per request with the
 *              matched route (undefined when none matched). If it throws,
 *              the request passes uninspected and observer.engineError is called.
 *   observer   receives one transactionEnd per request plus upstream/mirror events.
 *              Requests the front refuses (parse errors, bad Host, …) are
 *              reported too, verdict 'rejected', after the engine inspected
 *              them (docs/http-parsing.md).
 *   logger     pino-compatible (error/warn/info/debug).
 *   balancing  'round-robin' (default) or 'least-pending'; ejectMs default 5000.
 *   bodyBufferBytes  request-body bytes held for inspection across all
 *              requests (default 256 MiB): past it inline answers 503, detect
 *              and mirror inspect only what they hold (byte-budget.ts).
 *
 * Returns (Proxy):
 *   server         the node http.Server (not listening yet).
 *   listen()       binds config.listen; resolves with the bound port (0 in config → ephemeral).
 *   applySnapshot  replaces the route table atomically (discovery calls it on every snapshot).
 *   close(graceMs) stops accepting, waits for in-flight requests (and the mirror
 *                  queue) up to graceMs, then cuts remaining connections and closes upstream pools.
 *
 * Example:
 *   const proxy = createProxy({ config, wafFor: () => waf, observer, logger });
 *   const { port } = await proxy.listen();
 *   provider.start((snapshot) => proxy.applySnapshot(snapshot));
 *   process.once('SIGTERM', () => proxy.close(10_000));
 */
import type http from 'node:http';
import { staticSnapshot } from '../discovery/static.ts';
import type { Snapshot } from '../discovery/types.ts';
import { MirrorQueue } from '../modes/mirror-queue.ts';
import type { ModeServices } from '../modes/types.ts';
import { addressSet } from './addresses.ts';
import { ByteBudget } from './byte-budget.ts';
import { createFrontServer } from './server.ts';
import type { ProxyOptions } from './types.ts';
import { Upstreams } from './upstreams.ts';

/** Request-body bytes held for inspection across all requests, unless ProxyOptions.bodyBufferBytes says otherwise. */
export const DEFAULT_BODY_BUFFER_BYTES = 256 * 1024 * 1024;

export interface Proxy {
  readonly server: http.Server;
  listen(): Promise<{ port: number }>;
  applySnapshot(snapshot: Snapshot): void;
  close(graceMs: number): Promise<void>;
}

export function createProxy(options: ProxyOptions): Proxy {
  const { config, observer, logger } = options;
  const upstreams = new Upstreams({
    strategy: options.balancing ?? 'round-robin',
    ejectMs: options.ejectMs ?? 5000,
    upstreamTimeoutMs: config.limits.upstreamTimeoutMs,
    logger,
  });
  if (config.upstreams.length > 0) upstreams.apply(staticSnapshot(config.upstreams));
  const services: ModeServices = {
    config,
    observer,
    logger,
    wafFor: options.wafFor,
    trustedProxies: addressSet(config.trustedProxies),
    mirrorSources: addressSet(config.mirror.sources),
    mirrorQueue: new MirrorQueue(config.mirror.queueSize, observer, logger),
    bodyBudget: new ByteBudget(options.bodyBufferBytes ?? DEFAULT_BODY_BUFFER_BYTES),
    routeFor: (host, target) => upstreams.match(host, target),
  };
  const front = createFrontServer({ mode: config.mode, limits: config.limits, services });

  return {
    server: front.server,
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        front.server.once('error', onError);
        front.server.listen(config.listen.port, config.listen.host, () => {
          front.server.off('error', onError);
          const address = front.server.address();
          resolve({ port: typeof address === 'object' && address ? address.port : config.listen.port });
        });
      });
    },
    applySnapshot(snapshot) {
      upstreams.apply(snapshot);
    },
    async close(graceMs) {
      await front.close(graceMs);
      await upstreams.close(true);
    },
  };
}

export type { ProxyOptions, Logger, BalancingStrategy } from './types.ts';
