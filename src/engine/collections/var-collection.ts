/**
 * A single-valued, mutable collection with case-insensitive keys: TX and the
 * persistent-style collections (IP, GLOBAL, SESSION, USER, RESOURCE), written by
 * `setvar`. Keys keep the case of their first write, as ModSecurity prints them.
 * Each key maps to a one-entry array so that keyed reads allocate nothing.
 */
import type { Collection, Entry } from './types.ts';

export class VarCollection implements Collection {
  readonly name: string;
  readonly #map = new Map<string, readonly [Entry]>();
  #list: Entry[] | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#map.size;
  }

  set(key: string, value: string): void {
    const lower = key.toLowerCase();
    const old = this.#map.get(lower);
    this.#map.set(lower, [{ key: old ? old[0].key : key, value, cached: null }]);
    this.#list = null;
  }

  remove(key: string): void {
    if (this.#map.delete(key.toLowerCase())) this.#list = null;
  }

  /** The value of `key`, or undefined when unset. */
  value(key: string): string | undefined {
    return this.#map.get(key.toLowerCase())?.[0].value;
  }

  first(key: string): string | undefined {
    return this.value(key);
  }

  all(): readonly Entry[] {
    if (this.#list === null) this.#list = [...this.#map.values()].map((e) => e[0]);
    return this.#list;
  }

  get(key: string): readonly Entry[] {
    return this.#map.get(key.toLowerCase()) ?? NONE;
  }

  getLower(lowerKey: string): readonly Entry[] {
    return this.#map.get(lowerKey) ?? NONE;
  }
}

const NONE: readonly Entry[] = Object.freeze([]);
