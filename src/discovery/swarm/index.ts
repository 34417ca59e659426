/**
 * Swarm discovery: `picket run --swarm sidecar|ingress` builds its Provider here.
 *
 * @example
 *   const provider = createSwarmProvider(config.swarm, { logger });
 *   await provider.start((snapshot) => proxy.applySnapshot(snapshot));
 */
import type { SwarmConfig } from '../../config/types.ts';
import type { Provider } from '../types.ts';
import { createDockerClient, type SwarmClient } from './client.ts';
import { createSwarmWatcher, type DiscoveryLogger } from './watcher.ts';

export type { SwarmClient, SwarmEvent, SwarmService, SwarmTask } from './client.ts';
export type { DiscoveryLogger } from './watcher.ts';
export { buildSnapshot } from './build.ts';
export { parseServiceLabels } from './labels.ts';

export interface SwarmProviderOptions {
  /** Docker API client; default: dockerode honouring DOCKER_HOST (e.g. tcp://socket-proxy:2375). */
  readonly docker?: SwarmClient;
  readonly logger?: DiscoveryLogger;
}

export function createSwarmProvider(config: SwarmConfig, options: SwarmProviderOptions = {}): Provider {
  return createSwarmWatcher({
    client: options.docker ?? createDockerClient(),
    config,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
