/**
 * Transformation chains, interned so that rules sharing a prefix
 * (`t:none,t:urlDecodeUni,t:lowercase`...) share cache entries.
 *
 * Every prefix of every chain is a node with a small integer id; a transaction
 * caches, per node, original value → transformed value (coraza's per-prefix
 * cache, keyed by the value itself since transformations are pure functions).
 */
import type { Transformation } from './transformations/types.ts';

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

/** Per-transaction cache: node id → (original value → transformed value). */
export type ChainCache = (Map<string, string> | undefined)[];

/** The value after the whole chain, reusing the longest cached prefix. */
export function runChain(value: string, nodes: readonly ChainNode[], cache: ChainCache): string {
  let i = nodes.length - 1;
  let current = value;
  for (; i >= 0; i--) {
    const hit = cache[(nodes[i] as ChainNode).id]?.get(value);
    if (hit !== undefined) {
      current = hit;
      break;
    }
  }
  for (let j = i + 1; j < nodes.length; j++) {
    const node = nodes[j] as ChainNode;
    current = node.fn(current);
    let map = cache[node.id];
    if (map === undefined) {
      map = new Map();
      cache[node.id] = map;
    }
    map.set(value, current);
  }
  return current;
}
