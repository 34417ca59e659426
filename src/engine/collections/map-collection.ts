/**
 * A multi-valued, ordered collection with case-insensitive keys: what
 * ModSecurity v2 keeps in an `apr_table_t` (ARGS, REQUEST_HEADERS, FILES, ...).
 * Entries keep insertion order (MATCHED_VAR ends as the last match, as in v2);
 * the lower-cased key index is built only when a keyed lookup needs it.
 */
import type { Collection, Entry } from './types.ts';

export class MapCollection implements Collection {
  readonly name: string;
  #entries: Entry[] = [];
  #index: Map<string, Entry[]> | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#entries.length;
  }

  add(key: string, value: string): void {
    const entry: Entry = { key, value, cached: null };
    this.#entries.push(entry);
    if (this.#index !== null) {
      const lower = key.toLowerCase();
      const list = this.#index.get(lower);
      if (list) list.push(entry);
      else this.#index.set(lower, [entry]);
    }
  }

  /** Replaces every value of `key` with one value (setvar semantics). */
  set(key: string, value: string): void {
    this.remove(key);
    this.add(key, value);
  }

  remove(key: string): void {
    const lower = key.toLowerCase();
    const kept = this.#entries.filter((e) => e.key.toLowerCase() !== lower);
    if (kept.length !== this.#entries.length) {
      this.#entries = kept;
      this.#index = null;
    }
  }

  clear(): void {
    this.#entries = [];
    this.#index = null;
  }

  all(): readonly Entry[] {
    return this.#entries;
  }

  get(key: string): readonly Entry[] {
    return this.getLower(key.toLowerCase());
  }

  getLower(lowerKey: string): readonly Entry[] {
    if (this.#index === null) {
      const index = new Map<string, Entry[]>();
      for (const e of this.#entries) {
        const lower = e.key.toLowerCase();
        const list = index.get(lower);
        if (list) list.push(e);
        else index.set(lower, [e]);
      }
      this.#index = index;
    }
    return this.#index.get(lowerKey) ?? EMPTY;
  }

  first(key: string): string | undefined {
    return this.get(key)[0]?.value;
  }
}

const EMPTY: readonly Entry[] = Object.freeze([]);
