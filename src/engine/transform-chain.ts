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

/**
 * Per-transaction cache: original value → its results, one slot per chain node id.
 * One Map entry and one array per distinct value (a transaction has tens of them,
 * each transformed by tens of chains) instead of one growing Map per node.
 */
export class ChainCache {
  readonly #size: number;
  readonly #byValue = new Map<string, (string | undefined)[]>();

  /** `size`: the registry's node count when the ruleset was built. */
  constructor(size: number) {
    this.#size = size;
  }

  /** The slots of `value`, created on first use. */
  slots(value: string): (string | undefined)[] {
    let slots = this.#byValue.get(value);
    if (slots === undefined) {
      slots = new Array<string | undefined>(this.#size);
      this.#byValue.set(value, slots);
    }
    return slots;
  }
}

/** The value after the whole chain, reusing the longest cached prefix. */
export function runChain(value: string, nodes: readonly ChainNode[], cache: ChainCache): string {
  const slots = cache.slots(value);
  let i = nodes.length - 1;
  let current = value;
  for (; i >= 0; i--) {
    const hit = slots[(nodes[i] as ChainNode).id];
    if (hit !== undefined) {
      current = hit;
      break;
    }
  }
  for (let j = i + 1; j < nodes.length; j++) {
    const node = nodes[j] as ChainNode;
    current = node.fn(current);
    slots[node.id] = current;
  }
  return current;
}
