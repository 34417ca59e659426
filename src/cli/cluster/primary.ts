/**
 * The node:cluster primary of `picket run --workers N` (N > 1). It serves no
 * traffic itself:
 *
 * - forks N workers (worker.ts); each compiles the ruleset and listens on the
 *   shared proxy port. Connections are handed out round-robin by the primary
 *   (cluster.SCHED_RR, set explicitly: the OS alternative lets one busy
 *   worker take most connections);
 * - runs discovery (the Swarm provider) once and sends every snapshot to every
 *   worker, and the latest one to a worker that (re)starts;
 * - runs the admin listener: /readyz is 200 only while every worker has its
 *   ruleset and routes, /metrics aggregates the workers' registries;
 * - is the only writer of the audit log: workers send finished lines over the
 *   channel, so every line lands whole (one write of one complete line);
 * - forwards SIGHUP (reload; the primary reopens the audit log) and SIGTERM /
 *   SIGINT (each worker drains, the primary exits once all have exited);
 * - restarts a worker that exits unexpectedly, with exponential backoff.
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { PicketConfig } from '../../config/types.ts';
import { createSwarmProvider } from '../../discovery/swarm/index.ts';
import type { Provider, Snapshot } from '../../discovery/types.ts';
import { WafError } from '../../errors.ts';
import type { ErrorCode } from '../../errors.ts';
import { createAdminServer } from '../../observability/admin.ts';
import type { AdminServer, MetricsSource, Readiness } from '../../observability/admin.ts';
import { openAuditLog } from '../../observability/audit.ts';
import type { AuditLog } from '../../observability/audit.ts';
import type { Logger } from '../../observability/logger.ts';
import { aggregateMetrics, createPrimaryMetrics } from '../../observability/metrics.ts';
import type { MetricsJson } from '../../observability/metrics.ts';
import type { ToPrimary, ToWorker } from './messages.ts';
import { isPicketMessage } from './messages.ts';

/** The worker script, next to this file (.ts from a checkout, .js from dist/). */
const WORKER_ENTRY = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url));

/** First restart delay after a crash; doubles per consecutive crash up to RESTART_MAX_MS. */
export const RESTART_BASE_MS = 250;
export const RESTART_MAX_MS = 10_000;
/** A worker that ran this long before exiting starts the backoff afresh. */
const STABLE_MS = 30_000;
/** How long /metrics waits for a worker's answer before leaving it out. */
const METRICS_TIMEOUT_MS = 3000;
/** Extra time, past the drain grace, before workers that have not exited are killed. */
const KILL_AFTER_GRACE_MS = 5000;

export interface ClusterOptions {
  readonly logger: Logger;
  /** Resolves with the signal that asks for shutdown. */
  readonly stopping: Promise<string>;
  /** Registers the SIGHUP handler. */
  onReload(handler: () => void): void;
  readonly graceMs: number;
  /** Discovery provider instead of the one the config implies (tests). */
  readonly provider?: Provider;
  /** Node options for the workers (default: this process's, e.g. the regexp fallback flag). */
  readonly execArgv?: readonly string[];
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  listening: boolean;
  ready: boolean;
  reason: string;
  startedAt: number;
  crashes: number;
  timer: NodeJS.Timeout | undefined;
}

/** Runs the cluster until a shutdown signal; resolves with the exit status. */
export async function runCluster(config: PicketConfig, options: ClusterOptions): Promise<number> {
  const { logger } = options;
  const size = config.workers ?? 1;
  const metrics = createPrimaryMetrics();
  const slots: Slot[] = Array.from({ length: size }, (_, index) => ({
    index, worker: undefined, listening: false, ready: false, reason: 'starting', startedAt: 0, crashes: 0, timer: undefined,
  }));
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  let latest: Snapshot | undefined;
  let proxyPort: number | undefined;
  let lastAuditWarning = 0;
  const startup = Promise.withResolvers<void>();
  const allExited = Promise.withResolvers<void>();
  let metricsIds = 0;
  const metricsRequests = new Map<number, { worker: Worker; resolve: (json: MetricsJson | null) => void; timer: NodeJS.Timeout }>();

  const audit: AuditLog | null = config.audit.path === null ? null : await openAuditLog({
    path: config.audit.path,
    all: config.audit.all,
    onDrop: () => metrics.auditDropped.inc(),
  });

  const sendTo = (worker: Worker | undefined, message: ToWorker): void => {
    if (worker?.isConnected()) worker.send(message);
  };
  const broadcast = (message: ToWorker): void => {
    for (const slot of slots) sendTo(slot.worker, message);
  };
  const updateGauge = (): void => {
    metrics.workersReady.set(slots.filter((s) => s.worker && s.ready).length);
  };

  const onMessage = (slot: Slot, worker: Worker, message: ToPrimary): void => {
    switch (message.type) {
      case 'picket:listening':
        slot.listening = true;
        proxyPort ??= message.port;
        logger.debug({ worker: worker.id, pid: worker.process.pid, rules: message.rules }, 'worker listening');
        if (slots.every((s) => s.listening)) startup.resolve();
        return;
      case 'picket:status':
        slot.ready = message.ready;
        slot.reason = message.reason ?? '';
        updateGauge();
        return;
      case 'picket:failed': {
        const error = new WafError((message.code ?? 'WAF_ERR_CONFIG') as ErrorCode, message.message, { details: message.details });
        if (phase === 'starting') startup.reject(error);
        else logger.error({ worker: worker.id, err: error, details: message.details }, 'worker failed to start');
        return;
      }
      case 'picket:metrics': {
        const request = metricsRequests.get(message.id);
        if (!request) return;
        metricsRequests.delete(message.id);
        clearTimeout(request.timer);
        request.resolve(message.metrics);
        return;
      }
      case 'picket:audit':
        try {
          audit?.append(message.line);
        } catch (error) {
          metrics.auditDropped.inc();
          if (Date.now() - lastAuditWarning > 10_000) {
            lastAuditWarning = Date.now();
            logger.error({ err: error }, 'audit log write failed');
          }
        }
        return;
      case 'picket:audit-flush': {
        const reply = (): void => sendTo(worker, { type: 'picket:audit-flushed', id: message.id });
        if (audit) audit.flush().then(reply, reply);
        else reply();
        return;
      }
    }
  };

  const fork = (slot: Slot): void => {
    const worker = cluster.fork();
    Object.assign(slot, { worker, listening: false, ready: false, reason: 'starting', startedAt: Date.now() });
    worker.on('message', (message: unknown) => {
      if (isPicketMessage<ToPrimary>(message)) onMessage(slot, worker, message);
    });
    worker.once('exit', (code, signal) => onExit(slot, worker, code, signal));
    worker.send({ type: 'picket:start', config } satisfies ToWorker);
    if (latest) worker.send({ type: 'picket:snapshot', snapshot: latest } satisfies ToWorker);
  };

  const onExit = (slot: Slot, worker: Worker, code: number | null, signal: string | null): void => {
    for (const [id, request] of metricsRequests) {
      if (request.worker !== worker) continue;
      metricsRequests.delete(id);
      clearTimeout(request.timer);
      request.resolve(null);
    }
    if (slot.worker !== worker) return;
    Object.assign(slot, { worker: undefined, listening: false, ready: false, reason: 'restarting' });
    updateGauge();
    if (phase === 'stopping') {
      if (slots.every((s) => s.worker === undefined)) allExited.resolve();
      return;
    }
    if (phase === 'starting') {
      startup.reject(new Error(`worker ${worker.id} exited (${signal ?? `code ${code}`}) before listening`));
      return;
    }
    // A worker that ran a while starts the backoff afresh; one that keeps crashing waits longer each time.
    if (Date.now() - slot.startedAt > STABLE_MS) slot.crashes = 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** slot.crashes);
    slot.crashes++;
    metrics.workerRestarts.inc();
    logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited unexpectedly; restarting it');
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (phase === 'running') fork(slot);
    }, delay);
  };

  const readiness = (): Readiness => {
    if (phase === 'stopping') return { ready: false, reason: 'shutting down' };
    const notReady = slots.filter((s) => !(s.worker && s.ready));
    if (notReady.length === 0) return { ready: true };
    const why = notReady[0]!.reason;
    return { ready: false, reason: `${size - notReady.length}/${size} workers ready${why ? ` (${why})` : ''}` };
  };

  const workerMetrics = (worker: Worker): Promise<MetricsJson | null> => new Promise((resolve) => {
    const id = ++metricsIds;
    const timer = setTimeout(() => {
      metricsRequests.delete(id);
      resolve(null);
    }, METRICS_TIMEOUT_MS);
    metricsRequests.set(id, { worker, resolve, timer });
    worker.send({ type: 'picket:metrics-request', id } satisfies ToWorker);
  });
  const source: MetricsSource = {
    contentType: metrics.registry.contentType,
    async metrics() {
      const workers = slots.flatMap((s) => (s.worker?.isConnected() && s.listening ? [s.worker] : []));
      const parts = await Promise.all(workers.map(workerMetrics));
      const own = await metrics.registry.getMetricsAsJSON();
      return aggregateMetrics([...parts.filter((p): p is MetricsJson => p !== null), own]).metrics();
    },
  };

  let admin: AdminServer | null = null;
  let adminPort: number | null = null;
  let provider: Provider | null = null;

  /** Asks every worker to drain, waits (bounded) for them to exit, then closes the primary's own resources. */
  const stop = async (graceMs: number): Promise<boolean> => {
    phase = 'stopping';
    for (const slot of slots) clearTimeout(slot.timer);
    await provider?.stop().catch((error: unknown) => logger.error({ err: error }, 'discovery stop failed'));
    if (slots.every((s) => s.worker === undefined)) allExited.resolve();
    broadcast({ type: 'picket:shutdown', graceMs });
    let clean = true;
    const deadline = setTimeout(() => {
      clean = false;
      for (const slot of slots) {
        if (!slot.worker) continue;
        logger.error({ worker: slot.worker.id, pid: slot.worker.process.pid }, 'worker did not exit in time; killing it');
        slot.worker.process.kill('SIGKILL');
      }
    }, graceMs + KILL_AFTER_GRACE_MS);
    await allExited.promise;
    clearTimeout(deadline);
    await admin?.close();
    await audit?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    return clean;
  };

  // SIGHUP: every worker recompiles (each logs the result; one still starting compiles the current files anyway);
  // the primary reopens the audit log it writes.
  options.onReload(() => {
    if (phase === 'stopping') return;
    logger.info({ workers: size }, 'reloading the ruleset in every worker');
    broadcast({ type: 'picket:reload' });
    if (!audit) return;
    audit.reopen().then(
      () => logger.info({ path: config.audit.path }, 'audit log reopened'),
      (error: unknown) => logger.error({ err: error }, 'audit log reopen failed; writing on to the previous file'),
    );
  });

  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], execArgv: [...(options.execArgv ?? process.execArgv)] });
  try {
    if (config.admin) {
      admin = createAdminServer({ registry: source, readiness });
      adminPort = (await admin.listen(config.admin.host, config.admin.port)).port;
    }
    for (const slot of slots) fork(slot);
    await startup.promise;
    phase = 'running';
    provider = options.provider ?? (config.swarm ? createSwarmProvider(config.swarm, { logger }) : null);
    await provider?.start((snapshot) => {
      latest = snapshot;
      broadcast({ type: 'picket:snapshot', snapshot });
      logger.info({ routes: snapshot.routes.map((r) => ({ service: r.service, endpoints: r.endpoints.length })) }, 'routes updated');
    });
  } catch (error) {
    await stop(0);
    throw error;
  }

  logger.info({
    mode: config.mode,
    listen: `${config.listen.host}:${proxyPort}`,
    admin: adminPort === null ? null : `${config.admin!.host}:${adminPort}`,
    workers: size,
    upstreams: config.upstreams,
  }, 'picket started');

  const signal = await options.stopping;
  logger.info({ signal, graceMs: options.graceMs, workers: size }, 'shutting down: draining in-flight requests');
  return (await stop(options.graceMs)) ? 0 : 1;
}
