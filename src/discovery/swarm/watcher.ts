/**
 * Keeps a route Snapshot in step with the swarm.
 *
 * - A full reconcile (list services, list tasks, build) runs every
 *   `reconcileMs`, and shortly after Docker events: service create/update/remove
 *   and container start/die/kill/stop/health of swarm tasks. A burst of events
 *   is coalesced into one reconcile `debounceMs` after its first event, plus a
 *   second one `settleMs` later, because a task's state reaches the manager a
 *   moment after its container event.
 * - The event stream is reopened with exponential backoff when it breaks or ends,
 *   and a reconcile follows each reconnect (events may have been missed).
 * - While Docker is unreachable nothing is emitted: the proxy keeps the last
 *   known pool (a dead API must not empty every route). Recovery is logged.
 * - A snapshot deep-equal to the last one emitted is not emitted again.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SwarmConfig } from '../../config/types.ts';
import type { Provider, Snapshot } from '../types.ts';
import { buildSnapshot, selectServices, type Problem } from './build.ts';
import type { SwarmClient, SwarmEvent } from './client.ts';

/** The pino-compatible subset discovery logs through. */
export interface DiscoveryLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface WatcherOptions {
  readonly client: SwarmClient;
  readonly config: SwarmConfig;
  readonly logger?: DiscoveryLogger;
  /** Delay from the first event of a burst to its reconcile. */
  readonly debounceMs?: number;
  /** Delay from the last event to the follow-up reconcile. */
  readonly settleMs?: number;
  /** Event stream reconnect delay: initial, doubled per failure up to max. */
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
}

const CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'kill', 'destroy', 'oom', 'pause', 'unpause']);
/**
 * Asked of the engine, so healthcheck exec_* events (three per container per
 * check) never reach picket. Docker matches `health_status` as a prefix of
 * `health_status: healthy`; service events are create/update/remove.
 */
export const EVENT_ACTIONS: readonly string[] = [...new Set([...CONTAINER_ACTIONS, 'health_status', 'update', 'remove'])];
const SWARM_SERVICE_ID_LABEL = 'com.docker.swarm.service.id';

/** Whether an event can change a route; healthcheck exec_* events are frequent and cannot. */
export function isRelevantEvent(event: SwarmEvent): boolean {
  if (event.Type === 'service') return true;
  if (event.Type !== 'container') return false;
  if (event.Actor?.Attributes?.[SWARM_SERVICE_ID_LABEL] === undefined) return false;
  return CONTAINER_ACTIONS.has(event.Action) || event.Action.startsWith('health_status');
}

const stderrLogger: DiscoveryLogger = {
  error: (obj, msg) => console.error(`picket swarm: ${msg}`, obj),
  warn: (obj, msg) => console.error(`picket swarm: ${msg}`, obj),
  info: () => {},
  debug: () => {},
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function endpointCount(snapshot: Snapshot | undefined): number {
  return snapshot?.routes.reduce((n, r) => n + r.endpoints.length, 0) ?? 0;
}

export function createSwarmWatcher(options: WatcherOptions): Provider {
  const { client, config } = options;
  const log = options.logger ?? stderrLogger;
  const debounceMs = options.debounceMs ?? 100;
  const settleMs = options.settleMs ?? 600;
  const backoffInitialMs = options.backoffInitialMs ?? 250;
  const backoffMaxMs = options.backoffMaxMs ?? 30_000;
  const buildOptions = {
    deployment: config.deployment,
    labelPrefix: config.labelPrefix,
    ...(config.service === undefined ? {} : { service: config.service }),
    ...(config.network === undefined ? {} : { network: config.network }),
  };

  let running = false;
  let emit: (snapshot: Snapshot) => void = () => {};
  let last: Snapshot | undefined;
  let lastProblems = new Set<string>();
  let unreachableSince: number | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let periodicTimer: NodeJS.Timeout | undefined;
  let burstTimer: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let events: AbortController | undefined;
  let eventLoop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** Logs each problem when it appears, not on every reconcile while it lasts (that would drown the log). */
  function logProblems(problems: readonly Problem[]): void {
    const current = new Set<string>();
    for (const p of problems) {
      const key = `${p.level}\0${p.message}`;
      current.add(key);
      if (lastProblems.has(key)) continue;
      const fields = { service: p.service, ...(p.label === undefined ? {} : { label: p.label }), ...(p.task === undefined ? {} : { task: p.task }) };
      if (p.level === 'error') log.error(fields, p.message);
      else log.warn(fields, p.message);
    }
    lastProblems = current;
  }

  async function reconcileOnce(): Promise<void> {
    let snapshot: Snapshot;
    try {
      const services = await client.listServices();
      const { selected } = selectServices(services, buildOptions);
      const tasks = selected.length === 0 ? [] : await client.listTasks({ service: selected.map((s) => s.ID), desiredState: ['running'] });
      const result = buildSnapshot({ services, tasks }, buildOptions);
      logProblems(result.problems);
      snapshot = result.snapshot;
    } catch (error) {
      if (unreachableSince === undefined) {
        unreachableSince = Date.now();
        log.error(
          { err: errorMessage(error), keptEndpoints: endpointCount(last) },
          'Docker API unreachable; keeping the last known upstreams until it answers again',
        );
      }
      return;
    }
    if (unreachableSince !== undefined) {
      log.info({ downMs: Date.now() - unreachableSince }, 'Docker API reachable again');
      unreachableSince = undefined;
    }
    if (!running || (last !== undefined && isDeepStrictEqual(last, snapshot))) return;
    last = snapshot;
    log.debug({ routes: snapshot.routes.map((r) => ({ service: r.service, endpoints: r.endpoints })) }, 'route snapshot');
    try {
      emit(snapshot);
    } catch (error) {
      log.error({ err: errorMessage(error) }, 'applying a route snapshot failed');
    }
  }

  /** Runs reconciles one at a time; a request during one makes exactly one more run after it. */
  function reconcile(): Promise<void> {
    if (inFlight !== undefined) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await reconcileOnce();
      } while (again && running);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function schedulePeriodic(): void {
    if (!running) return;
    periodicTimer = setTimeout(() => {
      void reconcile().finally(schedulePeriodic);
    }, config.reconcileMs);
  }

  function onEvent(): void {
    if (burstTimer === undefined) {
      burstTimer = setTimeout(() => {
        burstTimer = undefined;
        void reconcile();
      }, debounceMs);
    }
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      void reconcile();
    }, settleMs);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function watchEvents(): Promise<void> {
    let failures = 0;
    while (running) {
      events = new AbortController();
      try {
        const stream = await client.getEvents({ types: ['service', 'container'], actions: EVENT_ACTIONS, signal: events.signal });
        if (failures > 0) log.info({ failures }, 'Docker event stream reconnected');
        failures = 0;
        void reconcile(); // catch up on whatever happened while disconnected
        for await (const event of stream) {
          if (!running) break;
          if (isRelevantEvent(event)) onEvent();
        }
        if (!running) break;
        log.warn({}, 'Docker event stream ended; reopening');
      } catch (error) {
        if (!running) break;
        log.warn({ err: errorMessage(error), failures: failures + 1 }, 'Docker event stream failed; reopening with backoff');
      }
      const delay = Math.min(backoffMaxMs, backoffInitialMs * 2 ** Math.min(failures, 20));
      failures += 1;
      await sleep(delay);
    }
  }

  return {
    async start(onSnapshot) {
      if (running) throw new Error('swarm discovery already started');
      running = true;
      emit = onSnapshot;
      await reconcile();
      eventLoop = watchEvents();
      schedulePeriodic();
    },
    async stop() {
      running = false;
      clearTimeout(periodicTimer);
      clearTimeout(burstTimer);
      clearTimeout(settleTimer);
      burstTimer = undefined;
      settleTimer = undefined;
      events?.abort();
      wake?.();
      await eventLoop;
      await inFlight;
    },
  };
}
