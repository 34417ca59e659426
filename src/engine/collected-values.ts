/**
 * Values a rule link reads, in target order, as parallel arrays (no object per value).
 * A link reads one or more of these in turn: the transaction's own scratch lists for
 * targets it collects alone, and lists of one target's values that rules with the same
 * target (target-signature.ts) share during a phase run.
 *
 * Arrays keep their slots between uses: only the first `n` are meaningful.
 */
import type { Entry } from './collections/types.ts';
import type { CachedValue } from './value-cache.ts';

/** A single value (REQUEST_URI, ...): its cache record is looked up by value. */
export const KIND_VALUE = 0;
/** A collection entry: its cache record is kept on the entry. */
export const KIND_ENTRY = 1;
/** A count (`&ARGS`) or an XML node: never left out as a known no-match (value-cache.ts). */
export const KIND_ALWAYS = 2;

export class CollectedValues {
  /** Variable names; with `keys`, MATCHED_VAR_NAME is built from them for values that match. */
  readonly vars: string[] = [];
  readonly keys: (string | null)[] = [];
  readonly vals: string[] = [];
  readonly ents: (Entry | null)[] = [];
  /** Value cache records, found on first need (null until then). */
  readonly recs: (CachedValue | null)[] = [];
  readonly kinds: number[] = [];
  n = 0;
  /** A list of one target's values shared by rules (target-signature.ts), not a rule's own. */
  shared = false;
  /** Shared lists: the phase run that built it (WafImpl.nextRun). */
  run = -1;
  /** Shared lists: the version of the signature's links it was built for (target-signature.ts). */
  version = 0;
  /**
   * Shared lists whose readers remember "no match": per noMatch word (value-cache.ts), the bits
   * set for every value of the list when it was built, so a reader whose bit is set knows no
   * value can match it. Bits are only ever added, so this stays true for the phase run.
   * null when no such bit is known (a value without a noMatch set, or a count or XML node).
   */
  known: number[] | null = null;
  /** The storage `known` points to when set, kept between runs. */
  readonly knownWords: number[] = [];

  /** Appends a value; `rec` is its cache record when already known (else found on first need). */
  push(kind: number, variable: string, key: string | null, value: string, entry: Entry | null, rec: CachedValue | null = null): void {
    const i = this.n++;
    this.kinds[i] = kind;
    this.vars[i] = variable;
    this.keys[i] = key;
    this.vals[i] = value;
    this.ents[i] = entry;
    this.recs[i] = rec;
  }

  /** Forgets the values (and what they reference, so nothing outlives its transaction here). */
  release(): void {
    this.known = null;
    const n = this.n;
    if (n === 0) return;
    this.vals.fill('', 0, n);
    this.keys.fill(null, 0, n);
    this.ents.fill(null, 0, n);
    this.recs.fill(null, 0, n);
    this.n = 0;
    this.run = -1;
  }
}
