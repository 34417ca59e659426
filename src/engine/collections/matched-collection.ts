/**
 * MATCHED_VARS: written on every matched value, cleared before every rule, and
 * read by few rules (chained links, MATCHED_VARS_NAMES). So adds only store the
 * key and value in arrays whose capacity survives clear(), and the Entry objects
 * (with the lower-cased key index) are made when something reads the collection.
 * A CRS GET makes ~90 matches and ~85 clears per transaction and reads none.
 */
import { namesOf, type MapCollection } from './map-collection.ts';
import type { Collection, Entry } from './types.ts';

export class MatchedCollection implements Collection {
  readonly name: string;
  // Slots at or past #size are stale: clear() only resets the count, because
  // shrinking a JS array to 0 frees its backing store and the next add reallocates it.
  readonly #keys: string[] = [];
  readonly #values: string[] = [];
  #size = 0;
  /** The entries of the first #size slots, made by the first read after a change. */
  #entries: Entry[] | null = null;
  #index: Map<string, Entry[]> | null = null;
  #names: MapCollection | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#size;
  }

  add(key: string, value: string): void {
    const i = this.#size++;
    this.#names = null;
    this.#keys[i] = key;
    this.#values[i] = value;
    if (this.#entries !== null) {
      const entry: Entry = { key, value, cached: null };
      this.#entries.push(entry);
      if (this.#index !== null) indexEntry(this.#index, entry);
    }
  }

  clear(): void {
    this.#size = 0;
    this.#entries = null;
    this.#index = null;
    this.#names = null;
  }

  /** MATCHED_VARS_NAMES. */
  names(name: string): MapCollection {
    return (this.#names ??= namesOf(name, this.all()));
  }

  all(): readonly Entry[] {
    if (this.#entries !== null) return this.#entries;
    if (this.#size === 0) return EMPTY;
    const entries = new Array<Entry>(this.#size);
    for (let i = 0; i < this.#size; i++) entries[i] = { key: this.#keys[i] as string, value: this.#values[i] as string, cached: null };
    this.#entries = entries;
    return entries;
  }

  get(key: string): readonly Entry[] {
    return this.getLower(key.toLowerCase());
  }

  getLower(lowerKey: string): readonly Entry[] {
    if (this.#size === 0) return EMPTY;
    if (this.#index === null) {
      const index = new Map<string, Entry[]>();
      for (const e of this.all()) indexEntry(index, e);
      this.#index = index;
    }
    return this.#index.get(lowerKey) ?? EMPTY;
  }

  first(key: string): string | undefined {
    const lower = key.toLowerCase();
    for (let i = 0; i < this.#size; i++) if ((this.#keys[i] as string).toLowerCase() === lower) return this.#values[i];
    return undefined;
  }
}

function indexEntry(index: Map<string, Entry[]>, e: Entry): void {
  const lower = e.key.toLowerCase();
  const list = index.get(lower);
  if (list) list.push(e);
  else index.set(lower, [e]);
}

const EMPTY: readonly Entry[] = Object.freeze([]);
