/**
 * A single-valued, mutable collection with case-insensitive keys: TX and the
 * persistent-style collections (IP, GLOBAL, SESSION, USER, RESOURCE), written by
 * `setvar`. Keys keep the case of their first write, as ModSecurity prints them.
 *
 * CRS writes ~75 TX keys per transaction and reads few of them by key, so a write
 * makes one entry object only; the one-entry array that keyed reads return is made
 * on the first keyed read of that value. Writing the value a key already has changes
 * nothing. The all() list is kept up to date in place once built.
 *
 * Keys are stored lower-cased. Most keys arrive lower-cased already (macros and
 * setvar names are lower-cased at load), so lookups try the key as given first:
 * a hit proves it lower-case, and toLowerCase() (~25 ns even when it changes
 * nothing) runs only on a miss.
 */
import type { Collection, Entry } from './types.ts';

/** An entry with the one-entry array get() returns for it, made when first asked for. */
interface VarEntry extends Entry {
  one: readonly Entry[] | null;
}

export class VarCollection implements Collection {
  readonly name: string;
  /** Lower-cased key → entry; null until the first write (most collections stay empty). */
  #map: Map<string, VarEntry> | null = null;
  #list: Entry[] | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#map === null ? 0 : this.#map.size;
  }

  set(key: string, value: string): void {
    const map = this.#map;
    this.setLower(key, map !== null && map.has(key) ? key : key.toLowerCase(), value);
  }

  /** set() for a caller that has `key` lower-cased already (`lower`), e.g. at load time. */
  setLower(key: string, lower: string, value: string): void {
    const map = (this.#map ??= new Map());
    const old = map.get(lower);
    if (old === undefined) {
      const entry: VarEntry = { key, value, cached: null, one: null };
      map.set(lower, entry);
      if (this.#list !== null) this.#list.push(entry);
      return;
    }
    if (old.value === value) return;
    // A new entry rather than a changed one: the old entry's cache record belongs to its value,
    // and a rule being evaluated may still hold the old entry with that value.
    const entry: VarEntry = { key: old.key, value, cached: null, one: null };
    map.set(lower, entry);
    if (this.#list !== null) this.#list[this.#list.indexOf(old)] = entry;
  }

  remove(key: string): void {
    if (this.#map !== null && this.#map.delete(key.toLowerCase())) this.#list = null;
  }

  #find(key: string): VarEntry | undefined {
    const map = this.#map;
    if (map === null) return undefined;
    return map.get(key) ?? map.get(key.toLowerCase());
  }

  /** The value of `key`, or undefined when unset. */
  value(key: string): string | undefined {
    return this.#find(key)?.value;
  }

  first(key: string): string | undefined {
    return this.value(key);
  }

  /** The entries in insertion order: a live array, valid until the next change. */
  all(): readonly Entry[] {
    if (this.#list === null) {
      if (this.#map === null) return NONE;
      this.#list = [...this.#map.values()];
    }
    return this.#list;
  }

  get(key: string): readonly Entry[] {
    const e = this.#find(key);
    if (e === undefined) return NONE;
    return (e.one ??= [e]);
  }

  getLower(lowerKey: string): readonly Entry[] {
    const e = this.#map?.get(lowerKey);
    if (e === undefined) return NONE;
    return (e.one ??= [e]);
  }
}

const NONE: readonly Entry[] = Object.freeze([]);
