/**
 * Byte screens: one pass over a new value of a shared target list that rules out,
 * for every rule reading the list, the values its operator cannot match.
 *
 * Operators know byte sets of which every match needs one byte each
 * (Operator.requiredBytes): `@rx` from its pattern (pcre.ts, `screenSets`), `@pm` and
 * `@pmFromFile` from their phrases (phrase-bytes.ts), `@validateByteRange` and
 * `@validateUtf8Encoding` from what they reject. `@rx` tests its rarest sets before it
 * runs, but per rule and value that costs a visit: the value cache lookup, the
 * transformation chain (run or looked up), the operator call and the scan. A 2 KB JSON
 * body brings ~60 new values, each read by ~100 rules: ~5,300 `@rx` visits, 83% of
 * them ended by that test.
 *
 * The screen reads the value's bytes once, derives from them a superset of the bytes
 * of every transformed form without running any transformation (presence transfers,
 * transformations/byte-presence.ts), and tests every reader's sets against it with a
 * few AND operations. A reader whose sets cannot all be met is recorded as not
 * matching the value (value-cache.ts): what evaluating it would record, since its
 * operator would not match. Only links for which that record is exact are screened
 * (operand without macros, not negated); a `multiMatch` link, which inspects the value
 * after every step of its chain, is tested against the union of the steps' supersets.
 * A value with characters above 0xFF (not a byte string) is not screened.
 */
import type { Rule } from './rule.ts';
import type { ChainNode } from './transform-chain.ts';
import { BYTE_SET_WORDS, fillByteSet, presenceTransfer, SUBSET, type ByteSet, type PresenceTransfer } from './transformations/byte-presence.ts';
import { linkSet, type CachedValue, type TransactionValueCache } from './value-cache.ts';

/**
 * The readers whose chains do the same to a value's bytes (the same presence transfers, less
 * those that leave the set as it is): the distinct byte sets they need, and who needs each.
 */
interface ScreenGroup {
  /** The presence transfers, in order. */
  readonly transfers: readonly PresenceTransfer[];
  /** multiMatch readers: the sets are tested against the union of the value's bytes after each step. */
  readonly everyStep: boolean;
  /** The distinct sets, BYTE_SET_WORDS words each. */
  readonly sets: Int32Array;
  /**
   * Per set u, the links that need it, as words of a noMatch set (value-cache.ts): the word
   * indexes `words[k]` and their bits `masks[k]` for k from `starts[u]` to `starts[u + 1]`.
   */
  readonly starts: Int32Array;
  readonly words: Int32Array;
  readonly masks: Int32Array;
}

/** What to screen a shared list's new values for: its readers, grouped by their chains' effect on bytes. */
export interface ScreenPlan {
  readonly groups: readonly ScreenGroup[];
}

/** Whether a screen may record "no match" for `link` (see the module comment). */
function screenable(link: Rule): boolean {
  return link.constantOperand && !link.negated && link.operator?.requiredBytes !== undefined;
}

interface GroupDraft {
  readonly transfers: readonly PresenceTransfer[];
  readonly everyStep: boolean;
  /** Set words as text → the set and the links that need it. */
  readonly sets: Map<string, { set: Int32Array; links: number[] }>;
}

/** The plan for `readers` (rule links), or null when none of them can be screened. */
export function screenPlan(readers: readonly Rule[]): ScreenPlan | null {
  const byEffect = new Map<string, GroupDraft>();
  const transferIds = new Map<PresenceTransfer, number>();
  const idOf = (f: PresenceTransfer): number => {
    let id = transferIds.get(f);
    if (id === undefined) transferIds.set(f, (id = transferIds.size));
    return id;
  };
  for (const link of readers) {
    if (!screenable(link)) continue;
    const transfers = effectOf(link.transformations);
    const key = `${link.multiMatch ? 'every' : 'last'}:${transfers.map(idOf).join(',')}`;
    let group = byEffect.get(key);
    if (group === undefined) {
      group = { transfers, everyStep: link.multiMatch, sets: new Map() };
      byEffect.set(key, group);
    }
    const words = link.operator?.requiredBytes as Int32Array;
    for (let s = 0; s < words.length; s += BYTE_SET_WORDS) {
      const set = words.subarray(s, s + BYTE_SET_WORDS);
      const text = set.join(',');
      const same = group.sets.get(text);
      if (same === undefined) group.sets.set(text, { set, links: [link.linkIndex] });
      else same.links.push(link.linkIndex);
    }
  }
  if (byEffect.size === 0) return null;
  const groups: ScreenGroup[] = [];
  for (const { transfers, everyStep, sets } of byEffect.values()) {
    const all = new Int32Array(sets.size * BYTE_SET_WORDS);
    const starts = new Int32Array(sets.size + 1);
    const words: number[] = [];
    const masks: number[] = [];
    let u = 0;
    for (const { set, links } of sets.values()) {
      all.set(set, u * BYTE_SET_WORDS);
      starts[u++] = words.length;
      const needing = linkSet(links);
      words.push(...needing.words);
      masks.push(...needing.masks);
    }
    starts[u] = words.length;
    groups.push({ transfers, everyStep, sets: all, starts, words: Int32Array.from(words), masks: Int32Array.from(masks) });
  }
  return { groups };
}

/** The presence transfers of a chain, less those that leave a byte set as it is. */
function effectOf(chain: readonly ChainNode[]): PresenceTransfer[] {
  return chain.map((node) => presenceTransfer(node.fn)).filter((f) => f !== SUBSET);
}

/** The raw value's bytes, and a working copy per chain (scratch: screens run one at a time). */
const raw: ByteSet = new Int32Array(BYTE_SET_WORDS);
const present: ByteSet = new Int32Array(BYTE_SET_WORDS);
const union: ByteSet = new Int32Array(BYTE_SET_WORDS);

/**
 * Records on `rec` (the record of `value`) "no match" for every link of `plan` whose
 * needed bytes no transformed form of the value can hold.
 */
export function screenValue(plan: ScreenPlan, value: string, rec: CachedValue, cache: TransactionValueCache): void {
  if (!fillByteSet(raw, value)) return;
  const noMatch = cache.noMatchOf(rec);
  for (const group of plan.groups) {
    const transfers = group.transfers;
    let bytes = raw;
    if (transfers.length > 0) {
      for (let w = 0; w < BYTE_SET_WORDS; w++) present[w] = raw[w] as number;
      if (group.everyStep) {
        // The raw value and every step's result: a superset of each form multiMatch inspects.
        for (let w = 0; w < BYTE_SET_WORDS; w++) union[w] = raw[w] as number;
        for (let k = 0; k < transfers.length; k++) {
          (transfers[k] as PresenceTransfer)(present);
          for (let w = 0; w < BYTE_SET_WORDS; w++) union[w] = (union[w] as number) | (present[w] as number);
        }
        bytes = union;
      } else {
        for (let k = 0; k < transfers.length; k++) (transfers[k] as PresenceTransfer)(present);
        bytes = present;
      }
    }
    // Unrolled: this loop runs for every set of every reader of every new value.
    const p0 = bytes[0] as number, p1 = bytes[1] as number, p2 = bytes[2] as number, p3 = bytes[3] as number;
    const p4 = bytes[4] as number, p5 = bytes[5] as number, p6 = bytes[6] as number, p7 = bytes[7] as number;
    const { sets, starts, words, masks } = group;
    const count = starts.length - 1;
    for (let u = 0, b = 0; u < count; u++, b += BYTE_SET_WORDS) {
      const hit =
        ((sets[b] as number) & p0) | ((sets[b + 1] as number) & p1) | ((sets[b + 2] as number) & p2) | ((sets[b + 3] as number) & p3) |
        ((sets[b + 4] as number) & p4) | ((sets[b + 5] as number) & p5) | ((sets[b + 6] as number) & p6) | ((sets[b + 7] as number) & p7);
      if (hit !== 0) continue;
      const end = starts[u + 1] as number;
      for (let k = starts[u] as number; k < end; k++) {
        const w = words[k] as number;
        noMatch[w] = (noMatch[w] as number) | (masks[k] as number);
      }
    }
  }
}
