/**
 * Transformation chains, interned so that rules sharing a prefix
 * (`t:none,t:urlDecodeUni,t:lowercase`...) share cache entries.
 *
 * Every prefix of every chain is a node with a small integer id; a transaction
 * caches, per original value, the result of each node (coraza's per-prefix cache,
 * keyed by the value itself since transformations are pure functions).
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

/** What a transaction remembers about one distinct original value. */
export interface CachedValue {
  /** The transaction's cache this record belongs to (entries of shared collections outlive it). */
  readonly owner: ChainCache;
  /** Result of each chain node for this value, indexed by node id; null until a chain runs. */
  results: (string | undefined)[] | null;
  /** The last link evaluation (a transaction-wide stamp) whose operator did not match this value. */
  noMatchIn: number;
}

/**
 * Per-transaction cache: original value → its record. One Map entry and one
 * array per distinct value (a transaction has tens of them, each transformed
 * by tens of chains) instead of one growing Map per node.
 */
export class ChainCache {
  readonly size: number;
  readonly #byValue = new Map<string, CachedValue>();

  /** `size`: the registry's node count when the ruleset was built. */
  constructor(size: number) {
    this.size = size;
  }

  /** The record of `value`, created on first use. */
  get(value: string): CachedValue {
    let entry = this.#byValue.get(value);
    if (entry === undefined) {
      entry = { owner: this, results: null, noMatchIn: 0 };
      this.#byValue.set(value, entry);
    }
    return entry;
  }
}

/** The per-node results of `entry`, created on first use. */
export function resultsOf(entry: CachedValue, cache: ChainCache): (string | undefined)[] {
  let results = entry.results;
  if (results === null) {
    results = new Array<string | undefined>(cache.size);
    entry.results = results;
  }
  return results;
}

/** `value` (whose record is `entry`) after the whole chain, reusing the longest cached prefix. */
export function runChain(value: string, entry: CachedValue, nodes: readonly ChainNode[], cache: ChainCache): string {
  const results = resultsOf(entry, cache);
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
    results[node.id] = current;
  }
  return current;
}
