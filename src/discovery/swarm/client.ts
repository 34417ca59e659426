/**
 * The narrow view of the Docker Engine API that Swarm discovery needs, and its
 * dockerode implementation.
 *
 * Only read-only GET endpoints are used (`/_ping`, `/services`, `/tasks`,
 * `/networks`, `/events`), so picket works behind a socket proxy that allows
 * exactly these (deploy/swarm/sidecar.yml). The types below keep only the
 * fields discovery reads; Docker sends more.
 */
import Docker from 'dockerode';

export interface SwarmService {
  readonly ID: string;
  readonly Spec: {
    readonly Name: string;
    readonly Labels?: Readonly<Record<string, string>>;
  };
}

export interface SwarmNetworkAttachment {
  readonly Network: {
    readonly ID: string;
    readonly Spec?: {
      readonly Name?: string;
      readonly Labels?: Readonly<Record<string, string>>;
      /** True for the routing-mesh network, which is never a task's upstream address. */
      readonly Ingress?: boolean;
    };
  };
  /** CIDR addresses, e.g. '10.0.1.7/24'. */
  readonly Addresses?: readonly string[];
}

export interface SwarmTask {
  readonly ID: string;
  readonly ServiceID: string;
  readonly Slot?: number;
  readonly NodeID?: string;
  /** What the orchestrator wants: 'running', 'shutdown', 'remove', ... */
  readonly DesiredState: string;
  readonly Status: {
    /** What the task is: 'new', ..., 'starting', 'running', 'complete', 'shutdown', 'failed', ... */
    readonly State: string;
    /** ISO time of the last state change. */
    readonly Timestamp?: string;
    readonly Message?: string;
    readonly Err?: string;
  };
  readonly NetworksAttachments?: readonly SwarmNetworkAttachment[];
}

export interface SwarmNetwork {
  readonly Id: string;
  readonly Name: string;
}

/** One line of GET /events. */
export interface SwarmEvent {
  readonly Type: string;
  readonly Action: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
  readonly time?: number;
}

export interface TaskFilters {
  /** Service ids or names. */
  readonly service?: readonly string[];
  /** e.g. ['running']: tasks the orchestrator still wants running. */
  readonly desiredState?: readonly string[];
}

export interface EventOptions {
  /** Event types, e.g. ['service', 'container']. */
  readonly types: readonly string[];
  /** Actions per the Docker API `event` filter, e.g. ['start', 'die']. Empty: all. */
  readonly actions?: readonly string[];
  /** Aborting ends the stream. */
  readonly signal: AbortSignal;
}

export interface SwarmClient {
  /** Resolves when the engine answers; rejects when it is unreachable. */
  ping(): Promise<void>;
  listServices(): Promise<readonly SwarmService[]>;
  listTasks(filters: TaskFilters): Promise<readonly SwarmTask[]>;
  listNetworks?(): Promise<readonly SwarmNetwork[]>;
  /**
   * Opens the event stream. Resolves once connected; the iterable then ends when
   * the engine closes the stream or the signal aborts, and throws on a broken one.
   */
  getEvents(options: EventOptions): Promise<AsyncIterable<SwarmEvent>>;
}

export interface DockerClientOptions {
  /** Passed to dockerode; by default it reads DOCKER_HOST or uses /var/run/docker.sock. */
  readonly docker?: Docker.DockerOptions;
}

/** Parses newline-delimited JSON events; a line that is not JSON is skipped, not fatal. */
export async function* parseEventStream(stream: AsyncIterable<Buffer | string>): AsyncGenerator<SwarmEvent> {
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (line === '') continue;
      try {
        yield JSON.parse(line) as SwarmEvent;
      } catch {
        // A malformed line carries nothing we could act on; the periodic reconcile covers it.
      }
    }
  }
}

/** A SwarmClient over dockerode. */
export function createDockerClient(options: DockerClientOptions = {}): SwarmClient {
  const docker = options.docker === undefined ? new Docker() : new Docker(options.docker);
  return {
    async ping() {
      await docker.ping();
    },
    async listServices() {
      return (await docker.listServices()) as unknown as SwarmService[];
    },
    async listTasks(filters) {
      const query: Record<string, string[]> = {};
      if (filters.service !== undefined) query.service = [...filters.service];
      if (filters.desiredState !== undefined) query['desired-state'] = [...filters.desiredState];
      return (await docker.listTasks({ filters: query })) as SwarmTask[];
    },
    async listNetworks() {
      const networks = await docker.listNetworks();
      return networks.map((n) => ({ Id: n.Id, Name: n.Name }));
    },
    async getEvents({ types, actions, signal }) {
      const filters: Record<string, string[]> = { type: [...types] };
      if (actions !== undefined && actions.length > 0) filters.event = [...actions];
      const stream = (await docker.getEvents({ filters })) as NodeJS.ReadableStream & { destroy(): void };
      const abort = () => stream.destroy();
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
      return parseEventStream(stream as AsyncIterable<Buffer>);
    },
  };
}
