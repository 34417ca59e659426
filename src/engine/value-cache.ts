/**
 * What the engine remembers about a value it has inspected: the result of every
 * transformation chain prefix (transform-chain.ts) and the rule links whose
 * operator did not match it.
 *
 * Both are exact facts about the value, so they are kept across transactions:
 * transformations are pure functions, and an operator whose argument holds no
 * macro reads nothing but its input and writes only on a match (captures,
 * MATCHED_VAR). Real traffic repeats most of what rules read (the same
 * User-Agent, Accept, Host, cookie names, paths and parameter names request
 * after request), so a repeated value skips every rule it already passed.
 *
 * Memory is bounded: values longer than SHARED_VALUE_MAX_LENGTH (bodies), and
 * values seen for the first time, are remembered for one transaction only; the
 * shared part keeps two generations, dropping the older one when the younger
 * has been charged half the byte budget (charges count value and result
 * lengths, approximately).
 */
export const SHARED_VALUE_MAX_LENGTH = 1024;
export const DEFAULT_VALUE_CACHE_BYTES = 32 * 1024 * 1024;

/** Approximate fixed cost of one record and its Map slot, in bytes. */
const RECORD_OVERHEAD = 96;
/** Size of the filter of values seen once (128 KiB). */
const SEEN_BITS = 1 << 20;
const SEEN_MASK = SEEN_BITS - 1;

/** What the engine knows about one distinct original value. */
export interface CachedValue {
  /** The cache that made the record: a collection entry may outlive a transaction or a ruleset. */
  readonly owner: SharedValueCache | TransactionValueCache;
  /** Result of each chain node for this value, indexed by node id; null until a chain runs. */
  results: (string | undefined)[] | null;
  /**
   * Bit per rule link (Rule.linkIndex): its operator is known not to match this value in any
   * form. Past the links, a bit per shared target signature: the value was screened for it
   * (byte-screen.ts).
   */
  noMatch: number[] | null;
}

/** The cross-transaction part, one per compiled ruleset (link indices belong to it). */
export class SharedValueCache {
  /** Chain nodes in the ruleset's registry: the length of every results array. */
  readonly nodeCount: number;
  /** Bits in every noMatch set: one per rule link, then the screen marks (WafImpl.noMatchBits). */
  readonly noMatchBits: number;
  readonly budgetBytes: number;
  #young = new Map<string, CachedValue>();
  #old = new Map<string, CachedValue>();
  #youngBytes = 0;
  /** Values seen once (see get): a Bloom filter of SEEN_BITS bits. */
  readonly #seen = new Int32Array(SEEN_BITS >>> 5);
  #seenCount = 0;

  constructor(nodeCount: number, noMatchBits: number, budgetBytes = DEFAULT_VALUE_CACHE_BYTES) {
    this.nodeCount = nodeCount;
    this.noMatchBits = noMatchBits;
    this.budgetBytes = budgetBytes;
  }

  /**
   * The record of `value` (at most SHARED_VALUE_MAX_LENGTH long), or null the first time the
   * value is seen: only a value that comes back is kept. Values that never repeat (ids, prices,
   * timestamps) then die young with their transaction instead of being promoted by every
   * minor GC (measured: ~1.7 MB promoted per scavenge and 6-14 ms pauses without this).
   */
  get(value: string): CachedValue | null {
    let rec = this.#young.get(value);
    if (rec !== undefined) return rec;
    rec = this.#old.get(value);
    if (rec === undefined) {
      if (!this.#seenBefore(value)) return null;
      rec = { owner: this, results: null, noMatch: null };
    }
    this.#young.set(value, rec);
    this.charge(value.length + RECORD_OVERHEAD);
    return rec;
  }

  /**
   * Whether `value` was seen since the filter was last cleared, marking it seen. A Bloom
   * filter (two bits from one FNV-1a hash): a false positive only keeps a value early.
   */
  #seenBefore(value: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    const a = h & SEEN_MASK;
    const b = (Math.imul(h, 0x9e3779b1) >>> 12) & SEEN_MASK;
    const bits = this.#seen;
    const seen = (bits[a >>> 5]! & (1 << (a & 31))) !== 0 && (bits[b >>> 5]! & (1 << (b & 31))) !== 0;
    if (!seen) {
      bits[a >>> 5] = bits[a >>> 5]! | (1 << (a & 31));
      bits[b >>> 5] = bits[b >>> 5]! | (1 << (b & 31));
      // Keep false positives rare: start over after SEEN_BITS / 16 new values (about 1% then).
      if (++this.#seenCount > SEEN_BITS / 16) {
        bits.fill(0);
        this.#seenCount = 0;
      }
    }
    return seen;
  }

  /** Counts `bytes` against the budget, dropping the older generation when the younger is full. */
  charge(bytes: number): void {
    this.#youngBytes += bytes;
    if (this.#youngBytes * 2 > this.budgetBytes) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngBytes = 0;
    }
  }

  /** Distinct values held (both generations; a value may be counted twice). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

/**
 * One transaction's view: short values come from the shared cache, long ones
 * (bodies, big headers) get a record that lives as long as the transaction.
 */
export class TransactionValueCache {
  readonly shared: SharedValueCache | null;
  readonly nodeCount: number;
  readonly noMatchBits: number;
  #local: Map<string, CachedValue> | null = null;

  /** `shared` null: nothing outlives the transaction (a value cache budget of 0). */
  constructor(shared: SharedValueCache | null, nodeCount: number, noMatchBits: number) {
    this.shared = shared;
    this.nodeCount = nodeCount;
    this.noMatchBits = noMatchBits;
  }

  get(value: string): CachedValue {
    // This transaction's own records first: a value read again in the same request is not
    // a value that comes back (the URI, say, is read by dozens of rules).
    const local = this.#local;
    let rec = local === null ? undefined : local.get(value);
    if (rec !== undefined) return rec;
    if (this.shared !== null && value.length <= SHARED_VALUE_MAX_LENGTH) {
      const kept = this.shared.get(value);
      if (kept !== null) return kept;
    }
    rec = { owner: this, results: null, noMatch: null };
    (this.#local ??= new Map()).set(value, rec);
    return rec;
  }

  /** Whether `rec` (kept on a collection entry) can be used by this transaction. */
  owns(rec: CachedValue): boolean {
    return rec.owner === this || (rec.owner === this.shared && this.shared !== null);
  }

  /** The per-node results of `rec`, created on first use (a slot per chain node: counted against the budget). */
  resultsOf(rec: CachedValue): (string | undefined)[] {
    let results = rec.results;
    if (results === null) {
      results = new Array<string | undefined>(this.nodeCount);
      rec.results = results;
      if (rec.owner !== this) (rec.owner as SharedValueCache).charge(this.nodeCount * 8 + 16);
    }
    return results;
  }

  /** Stores the result of chain node `id` for the value of `rec`. */
  store(rec: CachedValue, results: (string | undefined)[], id: number, result: string): void {
    results[id] = result;
    if (rec.owner !== this) (rec.owner as SharedValueCache).charge(result.length + 16);
  }

  /** Records that link `index` does not match the value of `rec`. */
  rememberNoMatch(rec: CachedValue, index: number): void {
    const bits = rec.noMatch ?? this.#newNoMatch(rec);
    bits[index >>> 5] = (bits[index >>> 5] as number) | (1 << (index & 31));
  }

  /** The noMatch set of `rec`, made (empty) on first need: for callers that record many links at once. */
  noMatchOf(rec: CachedValue): number[] {
    return rec.noMatch ?? this.#newNoMatch(rec);
  }

  /**
   * A plain array of 32-bit words (small integers in V8): a typed array this size (~180 bytes
   * with CRS) gets its storage outside the heap, which cost ~0.8 µs per new value.
   */
  #newNoMatch(rec: CachedValue): number[] {
    const bits = new Array<number>((this.noMatchBits + 31) >>> 5).fill(0);
    rec.noMatch = bits;
    if (rec.owner !== this) (rec.owner as SharedValueCache).charge(bits.length * 8 + 64);
    return bits;
  }
}


/** Whether link `index` is known not to match the value of `rec`. */
export function knownNoMatch(rec: CachedValue, index: number): boolean {
  const bits = rec.noMatch;
  return bits !== null && ((bits[index >>> 5] as number) & (1 << (index & 31))) !== 0;
}

/** A set of rule links as the words of a noMatch bit set they occupy, for knownNoMatchAll. */
export interface LinkSet {
  /** Indexes of the noMatch words holding the links' bits. */
  readonly words: Int32Array;
  /** For each of `words`, the links' bits in it. */
  readonly masks: Int32Array;
}

/** The LinkSet of links numbered `indexes` (Rule.linkIndex). */
export function linkSet(indexes: Iterable<number>): LinkSet {
  const byWord = new Map<number, number>();
  for (const index of indexes) byWord.set(index >>> 5, (byWord.get(index >>> 5) ?? 0) | (1 << (index & 31)));
  const words = [...byWord.keys()].sort((a, b) => a - b);
  return { words: Int32Array.from(words), masks: Int32Array.from(words, (w) => byWord.get(w) as number) };
}

/** Whether every link of `links` is known not to match the value of `rec` (false for an empty set). */
export function knownNoMatchAll(rec: CachedValue, links: LinkSet): boolean {
  const bits = rec.noMatch;
  const { words, masks } = links;
  if (bits === null || words.length === 0) return false;
  for (let k = 0; k < words.length; k++) {
    const m = masks[k] as number;
    if (((bits[words[k] as number] as number) & m) !== m) return false;
  }
  return true;
}
