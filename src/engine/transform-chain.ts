/**
 * Transformation chains, interned so that rules sharing a prefix
 * (`t:none,t:urlDecodeUni,t:lowercase`...) share cache entries.
 *
 * Every prefix of every chain is a node with a small integer id; the value cache
 * (value-cache.ts) keeps, per original value, the result of each node (coraza's
 * per-prefix cache, keyed by the value itself since transformations are pure functions).
 */
import type { Transformation } from './transformations/types.ts';
import type { CachedValue, TransactionValueCache } from './value-cache.ts';

export type { CachedValue } from './value-cache.ts';

export interface ChainNode {
  readonly id: number;
  readonly name: string;
  readonly fn: Transformation;
}

export class ChainRegistry {
  readonly #nodes = new Map<string, ChainNode>();
  #next = 0;

  get size(): number {
    return this.#next;
  }

  /** Interns `names` (already resolved to functions) and returns the node of every prefix. */
  intern(steps: readonly { name: string; fn: Transformation }[]): ChainNode[] {
    const out: ChainNode[] = [];
    let parent = -1;
    for (const step of steps) {
      const key = `${parent}\u0000${step.name.toLowerCase()}`;
      let node = this.#nodes.get(key);
      if (node === undefined) {
        node = { id: this.#next++, name: step.name, fn: step.fn };
        this.#nodes.set(key, node);
      }
      out.push(node);
      parent = node.id;
    }
    return out;
  }
}

/** `value` (whose record is `rec`) after the whole chain, reusing the longest cached prefix. */
export function runChain(value: string, rec: CachedValue, nodes: readonly ChainNode[], cache: TransactionValueCache): string {
  const results = cache.resultsOf(rec);
  let i = nodes.length - 1;
  let current = value;
  for (; i >= 0; i--) {
    const hit = results[(nodes[i] as ChainNode).id];
    if (hit !== undefined) {
      current = hit;
      break;
    }
  }
  for (let j = i + 1; j < nodes.length; j++) {
    const node = nodes[j] as ChainNode;
    current = node.fn(current);
    cache.store(rec, results, node.id, current);
  }
  return current;
}
