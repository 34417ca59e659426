/**
 * Pure: Swarm services + tasks → a route Snapshot. No I/O, no clock, so every
 * routing decision is testable with plain objects (build.test.ts).
 *
 * A task is an upstream only while the orchestrator wants it running
 * (DesiredState 'running') AND it runs (Status.State 'running'). Swarm sets the
 * desired state to 'shutdown' before it signals the container, so a replica
 * being scaled away or replaced leaves the pool on the next reconcile, while its
 * container still serves what it already accepted.
 *
 * The address is the task's address on the network it shares with picket,
 * without the /mask. Which network: `network` when configured (its name, id, or
 * the name inside the service's stack, e.g. 'backend' for 'shop_backend');
 * otherwise the task's only non-ingress network.
 */
import type { Route, Snapshot } from '../types.ts';
import type { SwarmNetworkAttachment, SwarmService, SwarmTask } from './client.ts';
import { parseServiceLabels } from './labels.ts';

export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

export interface BuildOptions {
  readonly deployment: 'sidecar' | 'ingress';
  /** Sidecar: the protected service's name (or its name inside a stack, e.g. 'app' for 'shop_app'). */
  readonly service?: string;
  readonly network?: string;
  readonly labelPrefix: string;
}

export interface BuildInput {
  readonly services: readonly SwarmService[];
  /** Tasks of the selected services; others are ignored. */
  readonly tasks: readonly SwarmTask[];
}

/** Something the operator should see in the log; the build goes on without that service or task. */
export interface Problem {
  readonly level: 'error' | 'warn';
  readonly service: string;
  readonly label?: string;
  readonly task?: string;
  readonly message: string;
}

export interface BuildResult {
  readonly snapshot: Snapshot;
  readonly problems: readonly Problem[];
}

/**
 * The services discovery watches: sidecar, the one named service; ingress,
 * every service whose enable label is literally true (invalid values are
 * reported by buildSnapshot).
 */
export function selectServices(
  services: readonly SwarmService[],
  options: BuildOptions,
): { selected: SwarmService[]; problems: Problem[] } {
  if (options.deployment === 'sidecar') {
    const name = options.service ?? '';
    if (name === '') {
      return { selected: [], problems: [{ level: 'error', service: '', message: 'sidecar deployment needs the protected service name' }] };
    }
    const exact = services.filter((s) => s.Spec.Name === name);
    if (exact.length > 0) return { selected: exact.slice(0, 1), problems: [] };
    const inStack = services.filter((s) => {
      const ns = s.Spec.Labels?.[STACK_NAMESPACE_LABEL];
      return ns !== undefined && s.Spec.Name === `${ns}_${name}`;
    });
    if (inStack.length === 1) return { selected: inStack, problems: [] };
    const message =
      inStack.length === 0
        ? `service '${name}' not found`
        : `service name '${name}' is ambiguous: ${inStack.map((s) => s.Spec.Name).sort().join(', ')}; give the full name`;
    return { selected: [], problems: [{ level: 'error', service: name, message }] };
  }
  const enableLabel = `${options.labelPrefix}enable`;
  return { selected: services.filter((s) => s.Spec.Labels?.[enableLabel] !== undefined), problems: [] };
}

/** The attachment picket reaches this task on, or a reason it has none. */
function pickAttachment(
  task: SwarmTask,
  service: SwarmService,
  network: string | undefined,
): SwarmNetworkAttachment | string {
  const attachments = task.NetworksAttachments ?? [];
  if (network !== undefined && network !== '') {
    const ns = service.Spec.Labels?.[STACK_NAMESPACE_LABEL];
    const found = attachments.find((a) => {
      const name = a.Network.Spec?.Name;
      return a.Network.ID === network || name === network || (ns !== undefined && name === `${ns}_${network}`);
    });
    return found ?? `not attached to network '${network}'`;
  }
  const candidates = attachments.filter((a) => a.Network.Spec?.Ingress !== true && a.Network.Spec?.Name !== 'ingress');
  if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
  if (candidates.length === 0) return 'attached to no overlay network picket can reach';
  return `attached to several networks (${candidates.map((a) => a.Network.Spec?.Name ?? a.Network.ID).join(', ')}); configure which one picket shares`;
}

/** 'http://10.0.1.7:8080' from '10.0.1.7/24'; IPv6 gets brackets. */
export function endpointFor(cidr: string, port: number): string {
  const ip = cidr.split('/')[0] ?? cidr;
  return ip.includes(':') ? `http://[${ip}]:${port}` : `http://${ip}:${port}`;
}

export function isServing(task: SwarmTask): boolean {
  return task.DesiredState === 'running' && task.Status.State === 'running';
}

export function buildSnapshot(input: BuildInput, options: BuildOptions): BuildResult {
  const { selected, problems } = selectServices(input.services, options);
  const routes: Route[] = [];
  for (const service of selected) {
    const name = service.Spec.Name;
    const parsed = parseServiceLabels(service.Spec.Labels, options.labelPrefix);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        problems.push({
          level: 'error',
          service: name,
          label: e.label,
          message: `service '${name}' skipped: label ${e.label}=${JSON.stringify(e.value)}: ${e.reason}`,
        });
      }
      continue;
    }
    const labels = parsed.labels;
    if (options.deployment === 'ingress' && !labels.enable) continue;

    const endpoints = new Set<string>();
    for (const task of input.tasks) {
      if (task.ServiceID !== service.ID || !isServing(task)) continue;
      const attachment = pickAttachment(task, service, options.network);
      if (typeof attachment === 'string') {
        problems.push({ level: 'warn', service: name, task: task.ID, message: `task ${task.ID} of '${name}' ${attachment}` });
        continue;
      }
      const address = attachment.Addresses?.[0];
      if (address === undefined) {
        problems.push({ level: 'warn', service: name, task: task.ID, message: `task ${task.ID} of '${name}' has no address yet` });
        continue;
      }
      endpoints.add(endpointFor(address, labels.port));
    }
    routes.push({
      service: name,
      hosts: labels.hosts,
      pathPrefix: labels.pathPrefix,
      endpoints: [...endpoints].sort(),
      waf: labels.waf,
    });
  }
  routes.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  return { snapshot: { routes }, problems };
}
