/**
 * Static upstreams from the configuration (`--upstream`, `upstreams:`): one
 * route that answers every host and path and balances across the listed
 * origins. Used for development, tests and single-service sidecars without
 * Swarm discovery.
 *
 * Example: staticSnapshot(['http://127.0.0.1:8080'])
 *   → { routes: [{ service: 'static', hosts: [], pathPrefix: '/', endpoints: ['http://127.0.0.1:8080'], waf: {} }] }
 */
import type { Provider, Snapshot } from './types.ts';

export function staticSnapshot(upstreams: readonly string[]): Snapshot {
  if (upstreams.length === 0) return { routes: [] };
  return {
    routes: [{ service: 'static', hosts: [], pathPrefix: '/', endpoints: [...upstreams], waf: {} }],
  };
}

/** A Provider that emits the static snapshot once. */
export function staticProvider(upstreams: readonly string[]): Provider {
  return {
    async start(onSnapshot) {
      onSnapshot(staticSnapshot(upstreams));
    },
    async stop() {},
  };
}
