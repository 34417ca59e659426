/**
 * A FakeSwarmClient that holds services and tasks in memory, and builders that
 * keep test tables readable: swarmService('app', labels(...)),
 * swarmTask('t1', 'svc-app', running(), on('backend', '10.0.1.7/24')).
 */
import type { EventOptions, SwarmClient, SwarmEvent, SwarmService, SwarmTask, TaskFilters } from '../../src/discovery/swarm/client.ts';
import type { DiscoveryLogger } from '../../src/discovery/swarm/watcher.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type TaskOption = (task: Mutable<SwarmTask>) => void;

export function swarmService(name: string, labels: Record<string, string> = {}, id = `svc-${name}`): SwarmService {
  return { ID: id, Spec: { Name: name, Labels: labels } };
}

export function swarmTask(id: string, serviceId: string, ...options: TaskOption[]): SwarmTask {
  const task: Mutable<SwarmTask> = { ID: id, ServiceID: serviceId, DesiredState: 'running', Status: { State: 'running' } };
  for (const option of options) option(task);
  return task;
}

export const state =
  (desired: string, current: string): TaskOption =>
  (task) => {
    task.DesiredState = desired;
    task.Status = { ...task.Status, State: current };
  };
export const running = (): TaskOption => state('running', 'running');
export const slot =
  (n: number): TaskOption =>
  (task) => {
    task.Slot = n;
  };
export const on =
  (network: string, address: string, extra: { ingress?: boolean; id?: string } = {}): TaskOption =>
  (task) => {
    task.NetworksAttachments = [
      ...(task.NetworksAttachments ?? []),
      {
        Network: { ID: extra.id ?? `net-${network}`, Spec: { Name: network, ...(extra.ingress ? { Ingress: true } : {}) } },
        Addresses: [address],
      },
    ];
  };

export class FakeSwarmClient implements SwarmClient {
  services: SwarmService[] = [];
  tasks: SwarmTask[] = [];
  /** When set, every API call rejects with it (Docker unreachable). */
  down: Error | undefined;
  /** getEvents rejects this many more times before it connects. */
  eventConnectFailures = 0;
  listCalls = 0;
  eventConnects = 0;
  readonly eventFilters: Pick<EventOptions, 'types' | 'actions'>[] = [];
  #stream: EventStream | undefined;

  async ping(): Promise<void> {
    if (this.down) throw this.down;
  }

  async listServices(): Promise<readonly SwarmService[]> {
    this.listCalls += 1;
    if (this.down) throw this.down;
    return structuredClone(this.services);
  }

  async listTasks(filters: TaskFilters): Promise<readonly SwarmTask[]> {
    if (this.down) throw this.down;
    return structuredClone(
      this.tasks.filter(
        (t) =>
          (filters.service === undefined || filters.service.includes(t.ServiceID)) &&
          (filters.desiredState === undefined || filters.desiredState.includes(t.DesiredState)),
      ),
    );
  }

  async getEvents(options: EventOptions): Promise<AsyncIterable<SwarmEvent>> {
    if (this.down) throw this.down;
    if (this.eventConnectFailures > 0) {
      this.eventConnectFailures -= 1;
      throw new Error('connect ECONNREFUSED /var/run/docker.sock');
    }
    this.eventConnects += 1;
    this.eventFilters.push({ types: options.types, ...(options.actions ? { actions: options.actions } : {}) });
    const stream = new EventStream(options.signal);
    this.#stream = stream;
    return stream;
  }

  /** Sends an event on the open stream (no-op when none is open). */
  emit(event: SwarmEvent): void {
    this.#stream?.push(event);
  }

  /** Breaks the open stream with an error, as a dying daemon does. */
  breakStream(error = new Error('socket hang up')): void {
    this.#stream?.fail(error);
  }

  /** Ends the open stream cleanly. */
  endStream(): void {
    this.#stream?.end();
  }
}

class EventStream implements AsyncIterable<SwarmEvent> {
  #queue: SwarmEvent[] = [];
  #done = false;
  #error: Error | undefined;
  #notify: (() => void) | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(event: SwarmEvent): void {
    this.#queue.push(event);
    this.#notify?.();
  }

  fail(error: Error): void {
    this.#error = error;
    this.#notify?.();
  }

  end(): void {
    this.#done = true;
    this.#notify?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SwarmEvent> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#error) throw this.#error;
      if (this.#done) return;
      await new Promise<void>((resolve) => {
        this.#notify = resolve;
      });
      this.#notify = undefined;
    }
  }
}

export const containerEvent = (action: string, serviceId = 'svc-app'): SwarmEvent => ({
  Type: 'container',
  Action: action,
  Actor: { ID: 'c1', Attributes: { 'com.docker.swarm.service.id': serviceId } },
});

export const serviceEvent = (action: string, id = 'svc-app'): SwarmEvent => ({ Type: 'service', Action: action, Actor: { ID: id } });

export interface LogLine {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly obj: object;
  readonly msg: string;
}

export function recordingLogger(): DiscoveryLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    debug: (obj, msg) => lines.push({ level: 'debug', obj, msg }),
  };
}

/** Polls until cond() holds; fails after a bounded wait (a hang guard, not a speed assertion). */
export async function waitFor(cond: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
