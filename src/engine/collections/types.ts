import type { CachedValue } from '../transform-chain.ts';

/** One key/value of a collection. Keys keep their original case; lookups ignore it. */
export interface Entry {
  readonly key: string;
  readonly value: string;
  /** The evaluating transaction's record of `value` (transaction.ts), saving a Map lookup per rule. */
  cached: CachedValue | null;
}

/** What rules read from a collection variable (ARGS, TX, REQUEST_HEADERS, ...). */
export interface Collection {
  readonly size: number;
  /**
   * Every entry in insertion order. The array (like those get() and getLower() return) is
   * the collection's own, for reading at once: it may change with the next write.
   */
  all(): readonly Entry[];
  /** Entries whose key equals `key`, ignoring case. */
  get(key: string): readonly Entry[];
  /** Like get() for a key already lower-cased (compiled targets), skipping the conversion. */
  getLower(lowerKey: string): readonly Entry[];
  /** The first value of `key` (ignoring case), or undefined. */
  first(key: string): string | undefined;
}
