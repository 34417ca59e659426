/**
 * Chooses an endpoint (one upstream replica) for each request of a route.
 *
 * - round-robin: each healthy endpoint in turn.
 * - least-pending: the healthy endpoint with fewest requests in flight
 *   (ties in round-robin order), which suits uneven request costs.
 *
 * Passive health: an endpoint that refuses a connection is ejected for
 * `ejectMs` and then tried again by ordinary traffic. When every endpoint
 * is ejected, the one whose ejection ends first is tried rather than failing
 * outright: replicas often come back together after a restart.
 */
import type { Dispatcher } from 'undici';
import type { BalancingStrategy } from './types.ts';

export class Endpoint {
  readonly origin: string;
  readonly dispatcher: Dispatcher;
  /** Requests in flight to this endpoint. */
  pending = 0;
  /** Time (ms, the balancer's clock) before which it is left out. */
  ejectedUntil = 0;

  constructor(origin: string, dispatcher: Dispatcher) {
    this.origin = origin;
    this.dispatcher = dispatcher;
  }
}

export interface BalancerOptions {
  readonly strategy: BalancingStrategy;
  readonly ejectMs: number;
  /** Injectable clock for tests. */
  readonly now: () => number;
}

export class Balancer {
  readonly endpoints: readonly Endpoint[];
  readonly #options: BalancerOptions;
  #next = 0;

  constructor(endpoints: readonly Endpoint[], options: BalancerOptions) {
    this.endpoints = endpoints;
    this.#options = options;
  }

  /** The endpoint for the next request, skipping `exclude` (endpoints already tried); undefined if none is left. */
  pick(exclude?: ReadonlySet<Endpoint>): Endpoint | undefined {
    const all = this.endpoints;
    if (all.length === 0) return undefined;
    const now = this.#options.now();
    const start = this.#next % all.length;
    let chosen: Endpoint | undefined;
    let chosenIndex = -1;
    let soonestBack: Endpoint | undefined;
    for (let step = 0; step < all.length; step++) {
      const index = (start + step) % all.length;
      const endpoint = all[index]!;
      if (exclude?.has(endpoint)) continue;
      if (endpoint.ejectedUntil > now) {
        if (!soonestBack || endpoint.ejectedUntil < soonestBack.ejectedUntil) soonestBack = endpoint;
        continue;
      }
      if (this.#options.strategy === 'round-robin') {
        chosen = endpoint;
        chosenIndex = index;
        break;
      }
      if (!chosen || endpoint.pending < chosen.pending) {
        chosen = endpoint;
        chosenIndex = index;
      }
    }
    if (chosen) {
      this.#next = chosenIndex + 1;
      return chosen;
    }
    return soonestBack;
  }

  /** Leaves an endpoint out for a while after it refused a connection. */
  eject(endpoint: Endpoint): void {
    endpoint.ejectedUntil = this.#options.now() + this.#options.ejectMs;
  }
}
