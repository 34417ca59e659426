/**
 * Required literal factors of a regex, for the `@rx` prefilter.
 *
 * The translator (pcre.ts) describes every item of the pattern with a
 * `Literals` value, then combines them bottom-up with `sequenceOf` and
 * `alternativesOf`, as RE2's and Hyperscan's prefilters do. All strings are
 * ASCII case-folded (lower case): matching a case-sensitive literal without
 * regard to case only lets more subjects through, so one folded check serves
 * both kinds of pattern, and `[Ss]` classes become the single letter `s`.
 *
 * - `exact`: the item matches exactly one of these strings (small, finite
 *   languages: literals, small classes, alternations and products of those).
 * - `factor`: any match of the item contains one of these strings, so the
 *   subject does too. `null` means no such promise (the item can match
 *   without any literal, e.g. `\w*` or `.`).
 *
 * Combination: a sequence multiplies adjacent exact sets while the product
 * stays small and otherwise keeps the most selective factor; an alternation
 * unites its branches' factors, and gives up as soon as one branch has none.
 *
 * Use (prefilterLiterals, then regex-cache.ts): only a factor that is not
 * leading, selective and of at most 16 strings. Measured on CRS v4.28 with
 * V8, irregexp fails most CRS patterns on short request values about as fast
 * as a literal scan, so the gain is on long values (~2 KB prose, CSS, cookies:
 * 2-3x less CPU for the prefiltered patterns) and in regex runs avoided.
 */

export interface Literals {
  readonly exact: readonly string[] | null;
  readonly factor: readonly string[] | null;
  /**
   * Every match starts with a `factor` string. V8 already scans for such a
   * leading literal itself, so a prefilter for it would only repeat the work.
   */
  readonly leading?: boolean;
}

/** Largest exact set kept; a larger product or union becomes a factor. */
const MAX_EXACT = 16;
/** Largest class written out as an exact set of one-byte strings. */
const MAX_CLASS = 10;
/** Largest factor set; beyond it the prefilter would cost as much as the regex. */
const MAX_FACTOR = 256;

/** Matches nothing but the empty string (anchors, lookarounds). */
export const EMPTY: Literals = { exact: [''], factor: null };
/** No promise at all. */
export const ANY: Literals = { exact: null, factor: null };

const FOLD = new Uint8Array(256).map((_, c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c));
const FOLDED_CHAR: readonly string[] = Array.from({ length: 256 }, (_, c) => String.fromCharCode(FOLD[c] as number));

/** Literals of byte sets already seen (the translator shares its common sets). */
const CLASS_LITERALS = new WeakMap<Uint8Array, Literals>();

/** A byte set consumed by one item: exact when small once folded. */
export function classLiterals(set: Uint8Array): Literals {
  let lits = CLASS_LITERALS.get(set);
  if (lits === undefined) {
    lits = computeClassLiterals(set);
    CLASS_LITERALS.set(set, lits);
  }
  return lits;
}

function computeClassLiterals(set: Uint8Array): Literals {
  const members: string[] = [];
  const seen = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (set[c] !== 1) continue;
    const f = FOLD[c] as number;
    if (seen[f] === 1) continue;
    seen[f] = 1;
    if (members.length === MAX_CLASS) return ANY;
    members.push(FOLDED_CHAR[f] as string);
  }
  return members.length === 0 ? ANY : { exact: members, factor: null };
}

const BYTE_LITERALS: readonly Literals[] = Array.from({ length: 256 }, (_, c) => ({ exact: [FOLDED_CHAR[c] as string], factor: null }));

/** One byte. */
export function byteLiterals(c: number): Literals {
  return BYTE_LITERALS[c] as Literals;
}

/** What the subject is known to contain given an item's literals, or null. */
export function factorOf(lits: Literals): readonly string[] | null {
  if (lits.exact === null) return lits.factor;
  return lits.exact.includes('') ? null : lits.exact;
}

/** An item repeated at least `min` times. */
export function repeated(lits: Literals, min: number): Literals {
  if (min === 0) return lits.exact !== null && lits.exact.length === 1 && lits.exact[0] === '' ? EMPTY : ANY;
  return { exact: null, factor: factorOf(lits), leading: isLeading(lits) };
}

function isLeading(lits: Literals): boolean {
  return lits.exact !== null || lits.leading === true;
}

/** An item that may be absent (`?`): its exact set plus the empty string. */
export function optional(lits: Literals): Literals {
  if (lits.exact === null || lits.exact.length >= MAX_EXACT) return ANY;
  return lits.exact.includes('') ? lits : { exact: [...lits.exact, ''], factor: null };
}

/*
 * Selectivity: the estimated chance that a benign request value contains one
 * of a factor's strings. Letters and digits are common, punctuation less so,
 * control and high bytes rare; a string is as likely as the product of its
 * bytes' frequencies times the positions it could start at.
 */
const FREQUENCY = new Float64Array(256).map((_, c) => {
  if (c >= 0x61 && c <= 0x7a) return 0.06;
  if (c >= 0x41 && c <= 0x5a) return 0.06;
  if (c >= 0x30 && c <= 0x39) return 0.05;
  if (c === 0x20) return 0.1;
  if ('./-_=&%+,:;'.includes(String.fromCharCode(c))) return 0.03;
  if (c > 0x20 && c < 0x7f) return 0.008;
  return 0.002;
});
/** Positions a string can start at in a typical value. */
const TYPICAL_LENGTH = 64;

function stringCost(s: string): number {
  let p = TYPICAL_LENGTH;
  for (let i = 0; i < s.length; i++) p *= FREQUENCY[s.charCodeAt(i) & 0xff] as number;
  return p < 1 ? p : 1;
}

const COSTS = new WeakMap<readonly string[], number>();

/** Estimated chance that a typical value contains one of the strings (lower is more selective). */
export function factorCost(factor: readonly string[]): number {
  let sum = COSTS.get(factor);
  if (sum !== undefined) return sum;
  sum = 0;
  for (const s of factor) {
    sum += stringCost(s);
    if (sum >= 1) {
      sum = 1;
      break;
    }
  }
  COSTS.set(factor, sum);
  return sum;
}

function best(candidates: readonly (readonly string[])[]): readonly string[] | null {
  let chosen: readonly string[] | null = null;
  let chosenCost = Infinity;
  for (const c of candidates) {
    const cost = factorCost(c);
    if (cost < chosenCost) {
      chosen = c;
      chosenCost = cost;
    }
  }
  return chosen;
}

function product(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length === 1 && a[0] === '') return b;
  if (b.length === 1 && b[0] === '') return a;
  if (a.length === 1 && b.length === 1) return [(a[0] as string) + (b[0] as string)];
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

/** A concatenation of items. */
export function sequenceOf(items: readonly Literals[]): Literals {
  if (items.length === 1) return items[0] as Literals;
  let run: readonly string[] | null = [''];
  let allExact = true;
  const candidates: (readonly string[])[] = [];
  // The first candidate is leading when nothing but exact items came before it.
  let leading: readonly string[] | null = null;
  let atStart = true;
  const add = (c: readonly string[], isLead: boolean): void => {
    if (atStart && isLead) leading = c;
    atStart = false;
    candidates.push(c);
  };
  const flush = (): void => {
    if (run !== null && !run.includes('')) add(run, true);
    else if (run !== null && run.length > 1) atStart = false;
    run = null;
  };
  for (const item of items) {
    if (item.exact !== null) {
      if (run === null) {
        run = item.exact;
      } else if (run.length * item.exact.length <= MAX_EXACT) {
        run = product(run, item.exact);
      } else {
        allExact = false;
        flush();
        run = item.exact;
      }
    } else {
      allExact = false;
      flush();
      if (item.factor !== null) add(item.factor, item.leading === true);
      atStart = false;
    }
  }
  if (allExact) return { exact: run, factor: null };
  flush();
  const factor = best(candidates);
  return { exact: null, factor, leading: factor !== null && factor === leading };
}

/** An alternation of branches. */
export function alternativesOf(branches: readonly Literals[]): Literals {
  if (branches.length === 1) return branches[0] as Literals;
  if (branches.every((b) => b.exact !== null)) {
    const union = new Set<string>();
    for (const b of branches) {
      for (const s of b.exact as readonly string[]) union.add(s);
      if (union.size > MAX_FACTOR) return ANY;
    }
    if (union.size <= MAX_EXACT) return { exact: [...union], factor: null };
    if (union.has('')) return ANY;
    return { exact: null, factor: [...union], leading: true };
  }
  const union = new Set<string>();
  let leading = true;
  for (const b of branches) {
    const f = factorOf(b);
    if (f === null) return ANY;
    for (const s of f) union.add(s);
    if (union.size > MAX_FACTOR) return ANY;
    leading &&= isLeading(b);
  }
  return { exact: null, factor: [...union], leading };
}

/** Most strings a prefilter checks: a long alternation costs V8 more than CRS's own tries. */
const MAX_PREFILTER = 16;

/**
 * The factor set worth checking before running the regex, or null: the
 * strings without those that contain another one (the shorter one already
 * decides); only when the factor is not leading, the set is short (see
 * MAX_PREFILTER), some string is longer than one byte (single bytes are the
 * required-bytes pre-check's job) and the set is selective at all.
 */
export function prefilterLiterals(lits: Literals): string[] | null {
  if (isLeading(lits)) return null;
  const factor = factorOf(lits);
  if (factor === null || factor.length === 0 || factor.length > MAX_FACTOR) return null;
  const sorted = [...factor].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const s of sorted) {
    if (!kept.some((k) => s.includes(k))) kept.push(s);
    if (kept.length > MAX_PREFILTER) return null;
  }
  if (!kept.some((s) => s.length > 1) || factorCost(kept) > 0.5) return null;
  return kept;
}
