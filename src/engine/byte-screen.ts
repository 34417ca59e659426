/**
 * Byte screens: one pass over a new value of a shared target list that rules out,
 * for every `@rx` rule reading the list, the values its pattern cannot match.
 *
 * A pattern knows byte sets of which every match needs one byte each (pcre.ts,
 * `required`). `@rx` tests them before it runs, but per rule and value that costs
 * a visit: the value cache lookup, the transformation chain (run or looked up), the
 * operator call and the scan. A 2 KB JSON body brings ~60 new values, each read by
 * ~100 rules: ~5,300 `@rx` visits, 83% of them ended by that test.
 *
 * The screen reads the value's bytes once, derives from them a superset of the bytes
 * of every transformed form without running any transformation (presence transfers,
 * transformations/byte-presence.ts), and tests every reader's sets against it with a
 * few AND operations. A reader whose sets cannot all be met is recorded as not
 * matching the value (value-cache.ts): what evaluating it would record, since its
 * operator would not match. Only links for which that record is exact are screened
 * (operand without macros, not negated, not multiMatch, which inspects more than the
 * chain's final result); a value with characters above 0xFF (not a byte string) is
 * not screened.
 */
import type { Rule } from './rule.ts';
import type { ChainNode } from './transform-chain.ts';
import { BYTE_SET_WORDS, fillByteSet, presenceTransfer, type ByteSet, type PresenceTransfer } from './transformations/byte-presence.ts';
import { linkSet, type CachedValue, type LinkSet, type TransactionValueCache } from './value-cache.ts';

/** The readers of one transformation chain: the distinct byte sets they need, and who needs each. */
interface ScreenGroup {
  /** The chain's presence transfers, in order. */
  readonly transfers: readonly PresenceTransfer[];
  /** The distinct sets, BYTE_SET_WORDS words each. */
  readonly sets: Int32Array;
  /** Per set, the links that need it, as words of a noMatch set (value-cache.ts). */
  readonly neededBy: readonly LinkSet[];
}

/** What to screen a shared list's new values for: its readers, grouped by chain. */
export interface ScreenPlan {
  readonly groups: readonly ScreenGroup[];
}

/** Whether a screen may record "no match" for `link` (see the module comment). */
function screenable(link: Rule): boolean {
  return link.constantOperand && !link.negated && !link.multiMatch && link.operator?.requiredBytes !== undefined;
}

interface GroupDraft {
  readonly chain: readonly ChainNode[];
  /** Set words as text → the set and the links that need it. */
  readonly sets: Map<string, { set: Int32Array; links: number[] }>;
}

/** The plan for `readers` (rule links), or null when none of them can be screened. */
export function screenPlan(readers: readonly Rule[]): ScreenPlan | null {
  const byChain = new Map<string, GroupDraft>();
  for (const link of readers) {
    if (!screenable(link)) continue;
    const key = link.transformations.map((n) => n.id).join(',');
    let group = byChain.get(key);
    if (group === undefined) {
      group = { chain: link.transformations, sets: new Map() };
      byChain.set(key, group);
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
  if (byChain.size === 0) return null;
  const groups: ScreenGroup[] = [];
  for (const { chain, sets } of byChain.values()) {
    const all = new Int32Array(sets.size * BYTE_SET_WORDS);
    const neededBy: LinkSet[] = [];
    for (const { set, links } of sets.values()) {
      all.set(set, neededBy.length * BYTE_SET_WORDS);
      neededBy.push(linkSet(links));
    }
    groups.push({ transfers: chain.map((node) => presenceTransfer(node.fn)), sets: all, neededBy });
  }
  return { groups };
}

/** The raw value's bytes, and a working copy per chain (scratch: screens run one at a time). */
const raw: ByteSet = new Int32Array(BYTE_SET_WORDS);
const present: ByteSet = new Int32Array(BYTE_SET_WORDS);

/**
 * Records on `rec` (the record of `value`) "no match" for every link of `plan` whose
 * needed bytes no transformed form of the value can hold.
 */
export function screenValue(plan: ScreenPlan, value: string, rec: CachedValue, cache: TransactionValueCache): void {
  if (!fillByteSet(raw, value)) return;
  for (const group of plan.groups) {
    present.set(raw);
    for (const transfer of group.transfers) transfer(present);
    // Unrolled: this loop runs for every set of every reader of every new value.
    const p0 = present[0] as number, p1 = present[1] as number, p2 = present[2] as number, p3 = present[3] as number;
    const p4 = present[4] as number, p5 = present[5] as number, p6 = present[6] as number, p7 = present[7] as number;
    const { sets, neededBy } = group;
    for (let u = 0, b = 0; u < neededBy.length; u++, b += BYTE_SET_WORDS) {
      const hit =
        ((sets[b] as number) & p0) | ((sets[b + 1] as number) & p1) | ((sets[b + 2] as number) & p2) | ((sets[b + 3] as number) & p3) |
        ((sets[b + 4] as number) & p4) | ((sets[b + 5] as number) & p5) | ((sets[b + 6] as number) & p6) | ((sets[b + 7] as number) & p7);
      if (hit === 0) cache.rememberNoMatchAll(rec, neededBy[u] as LinkSet);
    }
  }
}
