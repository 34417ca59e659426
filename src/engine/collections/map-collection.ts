/**
 * A multi-valued, ordered collection with case-insensitive keys: what
 * ModSecurity v2 keeps in an `apr_table_t` (ARGS, REQUEST_HEADERS, FILES, ...).
 * Entries keep insertion order (MATCHED_VAR ends as the last match, as in v2);
 * the lower-cased key index is built only when a keyed lookup needs it, and then
 * kept up to date by add(). A transaction has ~20 of these, most never written,
 * so nothing is allocated before the first add.
 */
import type { Collection, Entry } from './types.ts';

export class MapCollection implements Collection {
  readonly name: string;
  #entries: Entry[] | null = null;
  #index: Map<string, Entry[]> | null = null;
  /** The `*_NAMES` view, made on first read and dropped when a key is added or removed. */
  #names: MapCollection | null = null;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#entries === null ? 0 : this.#entries.length;
  }

  /** Adds `key` = `value` and returns its entry (which addEntry may share with another collection). */
  add(key: string, value: string): Entry {
    const entry: Entry = { key, value, cached: null };
    this.addEntry(entry);
    return entry;
  }

  /**
   * Adds an entry made by another collection's add(): ARGS and ARGS_GET/ARGS_POST
   * hold the same pairs, and sharing the entry also shares its value-cache record.
   */
  addEntry(entry: Entry): void {
    this.#push(entry, null);
  }

  /**
   * Adds many entries at once (a parsed body's arguments), growing the list once. With
   * `adopt`, an empty collection keeps `entries` itself: the caller must not change it afterwards.
   */
  addEntries(entries: Entry[], adopt = false): void {
    if (entries.length === 0) return;
    this.#names = null;
    const old = this.#entries;
    if (old === null) this.#entries = adopt ? entries : entries.slice();
    else this.#entries = old.concat(entries);
    if (this.#index !== null) for (const e of entries) indexEntry(this.#index, e, e.key.toLowerCase());
  }

  #push(entry: Entry, lower: string | null): void {
    this.#names = null;
    if (this.#entries === null) this.#entries = [entry];
    else this.#entries.push(entry);
    if (this.#index !== null) indexEntry(this.#index, entry, lower ?? entry.key.toLowerCase());
  }

  /**
   * Adds `key` = `value`, or, when the key is already present (any case), appends
   * `separator` + `value` to its first value (Apache's merge of repeated request headers).
   */
  addOrAppend(key: string, value: string, separator: string): void {
    const lower = key.toLowerCase();
    const seen = this.getLower(lower)[0];
    if (seen === undefined) {
      this.#push({ key, value, cached: null }, lower);
      return;
    }
    // Entries are immutable (their cache record belongs to their value): replace it in place.
    const merged: Entry = { key: seen.key, value: `${seen.value}${separator}${value}`, cached: null };
    const entries = this.#entries as Entry[];
    entries[entries.indexOf(seen)] = merged;
    const list = (this.#index as Map<string, Entry[]>).get(lower) as Entry[];
    list[0] = merged;
  }

  /** Replaces every value of `key` with one value (setvar semantics). */
  set(key: string, value: string): void {
    this.remove(key);
    this.add(key, value);
  }

  remove(key: string): void {
    if (this.#entries === null) return;
    const lower = key.toLowerCase();
    const kept = this.#entries.filter((e) => e.key.toLowerCase() !== lower);
    if (kept.length !== this.#entries.length) {
      this.#entries = kept;
      this.#index = null;
      this.#names = null;
    }
  }

  clear(): void {
    this.#entries = null;
    this.#index = null;
    this.#names = null;
  }

  /** `X_NAMES` for this collection `X`: one entry per key, named and valued by the key. */
  names(name: string): MapCollection {
    return (this.#names ??= namesOf(name, this.all()));
  }

  /** The entries in insertion order: a live array, valid until the next change. */
  all(): readonly Entry[] {
    return this.#entries ?? EMPTY;
  }

  get(key: string): readonly Entry[] {
    // Index keys are lower-case: a hit on `key` as given proves it lower-case (see var-collection.ts).
    const hit = this.getLower(key);
    return hit.length > 0 ? hit : this.getLower(key.toLowerCase());
  }

  getLower(lowerKey: string): readonly Entry[] {
    if (this.#index === null) {
      if (this.#entries === null) return EMPTY;
      const index = new Map<string, Entry[]>();
      for (const e of this.#entries) indexEntry(index, e, e.key.toLowerCase());
      this.#index = index;
    }
    return this.#index.get(lowerKey) ?? EMPTY;
  }

  first(key: string): string | undefined {
    return this.get(key)[0]?.value;
  }
}

/** A collection holding, for each of `entries`, its key as key and value (built at its final size). */
export function namesOf(name: string, entries: readonly Entry[]): MapCollection {
  const out = new Array<Entry>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const key = (entries[i] as Entry).key;
    out[i] = { key, value: key, cached: null };
  }
  const names = new MapCollection(name);
  names.addEntries(out, true);
  return names;
}

function indexEntry(index: Map<string, Entry[]>, e: Entry, lower: string): void {
  const list = index.get(lower);
  if (list) list.push(e);
  else index.set(lower, [e]);
}

const EMPTY: readonly Entry[] = Object.freeze([]);
