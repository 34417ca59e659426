/**
 * A `picket run --workers N` worker (the script node:cluster forks). It waits
 * for the configuration from the primary, then runs a whole picket without
 * the admin listener: compiles the ruleset, listens on the shared proxy port
 * (node:cluster hands it the primary's socket), applies the discovery
 * snapshots the primary sends, and reports readiness, metrics and audit lines
 * back over the channel.
 *
 * Signals: the primary forwards SIGHUP (reload) and SIGTERM/SIGINT (drain) as
 * messages, so a worker ignores the SIGINT and SIGHUP a terminal sends to the
 * whole process group. A SIGTERM sent to the worker itself, or losing the
 * primary, drains and exits like a shutdown.
 */
import cluster from 'node:cluster';
import type { PicketConfig } from '../../config/types.ts';
import type { Provider, Snapshot } from '../../discovery/types.ts';
import { isWafError } from '../../errors.ts';
import { startPicket } from '../../main.ts';
import type { Picket } from '../../main.ts';
import { createForwardedAuditLog } from '../../observability/audit-forward.ts';
import { createLogger } from '../../observability/logger.ts';
import type { ToPrimary, ToWorker } from './messages.ts';
import { isPicketMessage } from './messages.ts';

/** Grace for in-flight requests when the worker is told to stop without one (its own SIGTERM, a lost primary). */
const DEFAULT_GRACE_MS = 10_000;

function send(message: ToPrimary, done: (error: Error | null) => void = () => undefined): void {
  if (!process.connected || !process.send) {
    done(new Error('no channel to the primary'));
    return;
  }
  process.send(message, undefined, {}, done);
}

export async function runWorker(): Promise<void> {
  let picket: Picket | undefined;
  let draining = false;
  let onSnapshot: ((snapshot: Snapshot) => void) | undefined;
  let pendingSnapshot: Snapshot | undefined;
  let flushIds = 0;
  const flushes = new Map<number, () => void>();

  const reportStatus = (): void => {
    if (!picket) return;
    const readiness = picket.readiness();
    send({ type: 'picket:status', ready: readiness.ready, ...(readiness.reason !== undefined ? { reason: readiness.reason } : {}) });
  };
  const drain = async (graceMs: number): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      await picket?.close(graceMs);
    } finally {
      process.exit(0);
    }
  };

  const config = await new Promise<PicketConfig>((resolve) => {
    process.on('message', (message: unknown) => {
      if (!isPicketMessage<ToWorker>(message)) return;
      switch (message.type) {
        case 'picket:start':
          resolve(message.config);
          return;
        case 'picket:snapshot':
          if (onSnapshot) {
            onSnapshot(message.snapshot);
            reportStatus();
          } else {
            pendingSnapshot = message.snapshot;
          }
          return;
        case 'picket:reload':
          void picket?.reload();
          return;
        case 'picket:shutdown':
          void drain(message.graceMs);
          return;
        case 'picket:metrics-request': {
          const { id } = message;
          if (!picket) {
            send({ type: 'picket:metrics', id, metrics: [] });
            return;
          }
          picket.metrics.registry.getMetricsAsJSON().then(
            (metrics) => send({ type: 'picket:metrics', id, metrics }),
            () => send({ type: 'picket:metrics', id, metrics: [] }),
          );
          return;
        }
        case 'picket:audit-flushed':
          flushes.get(message.id)?.();
          flushes.delete(message.id);
          return;
      }
    });
  });

  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', () => void drain(DEFAULT_GRACE_MS));
  process.on('disconnect', () => void drain(DEFAULT_GRACE_MS));

  const logger = createLogger({ level: config.logLevel }).child({ worker: cluster.worker?.id ?? 0 });
  const provider: Provider | undefined = config.swarm === null ? undefined : {
    async start(apply) {
      onSnapshot = apply;
      if (pendingSnapshot) {
        apply(pendingSnapshot);
        pendingSnapshot = undefined;
      }
    },
    async stop() {
      onSnapshot = undefined;
    },
  };
  const audit = config.audit.path === null ? null : createForwardedAuditLog({
    all: config.audit.all,
    send: (line, done) => send({ type: 'picket:audit', line }, () => done()),
    requestFlush: () => new Promise<void>((resolve) => {
      const id = ++flushIds;
      flushes.set(id, resolve);
      send({ type: 'picket:audit-flush', id }, (error) => {
        if (error) {
          flushes.delete(id);
          resolve();
        }
      });
    }),
    connected: () => process.connected,
  });

  try {
    // The primary serves /healthz, /readyz and /metrics for every worker.
    picket = await startPicket({ ...config, admin: null }, { logger, audit, ...(provider ? { provider } : {}) });
  } catch (error) {
    const failure: ToPrimary = isWafError(error)
      ? { type: 'picket:failed', code: error.code, message: error.message, details: error.details }
      : { type: 'picket:failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error), details: [] };
    send(failure, () => process.exit(1));
    return;
  }
  send({ type: 'picket:listening', port: picket.proxyPort, rules: picket.waf.ruleCount });
  reportStatus();
}

if (import.meta.main) await runWorker();
