/**
 * A single-valued, mutable collection with case-insensitive keys: TX and the
 * persistent-style collections (IP, GLOBAL, SESSION, USER, RESOURCE), written by
 * `setvar`. Keys keep the case of their first write, as ModSecurity prints them.
 */
import type { Collection, Entry } from './types.ts';

export class VarCollection implements Collection {
  readonly name: string;
  readonly #map = new Map<string, Entry>();
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
    this.#map.set(lower, { key: old ? old.key : key, value });
    this.#list = null;
  }

  remove(key: string): void {
    if (this.#map.delete(key.toLowerCase())) this.#list = null;
  }

  /** The value of `key`, or undefined when unset. */
  value(key: string): string | undefined {
    return this.#map.get(key.toLowerCase())?.value;
  }

  all(): readonly Entry[] {
    if (this.#list === null) this.#list = [...this.#map.values()];
    return this.#list;
  }

  get(key: string): readonly Entry[] {
    const e = this.#map.get(key.toLowerCase());
    return e ? [e] : [];
  }
}
