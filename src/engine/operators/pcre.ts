/**
 * PCRE → JavaScript RegExp translation for `@rx`, done once at load.
 *
 * ModSecurity v2 compiles `@rx` patterns with PCRE_DOTALL | PCRE_DOLLAR_ENDONLY
 * and without UTF mode, so patterns run over bytes with the "C" locale tables.
 * The translation reproduces that on byte strings (one char per byte):
 *
 * - `.` matches any byte (DOTALL) unless `(?-s)` is in force, then any byte but \n.
 * - `$` matches only at the very end (DOLLAR_ENDONLY); under `(?m)` it matches
 *   before any \n and at the end, and `^` after any \n that does not end the
 *   subject. The JS `m` and `s` flags are never used (JS treats \r as a line end).
 * - `\A` `\z` `\Z` `\h` `\H` `\v` `\V` `\R` `\N` `\e` `\Q..\E`, `\x{..}`, octal
 *   escapes, POSIX classes `[[:alpha:]]` and `\s` (no 0xA0, unlike JS) are
 *   rewritten to their byte-level equivalents.
 * - Case-insensitivity folds ASCII letters only (PCRE's C tables). It is
 *   written out (`a` → `[aA]`, classes folded) instead of using the JS `i` flag
 *   or `(?i:...)` modifiers: JS would also fold Latin-1 letters (é/É), and V8's
 *   linear-time fallback engine (--enable-experimental-regexp-engine-on-
 *   excessive-backtracks, our ReDoS guard) refuses patterns with either. So
 *   scoped and mid-group flag changes need no JS syntax at all. Only a back
 *   reference under `(?i)` uses `(?i:\N)`, as it must compare caselessly.
 * - Atomic groups and possessive quantifiers are emulated with the
 *   lookahead-capture idiom `(?=(X))\N`, which is exact; the extra groups are
 *   numbered after translation and hidden from captures through `groupMap`.
 * - Speed-ups that cannot change a result: a pattern whose every top-level
 *   branch starts with a DOTALL `.*` is anchored, as PCRE anchors it implicitly;
 *   and `required` lists rare bytes every match needs (PCRE's "required code
 *   unit" idea), which the caller checks before running the regex; `literals`
 *   does the same with the strings every match needs (literal-factors.ts).
 *
 * Known differences from PCRE: a back reference to a group that did not take
 * part matches the empty string in JS (PCRE fails), and a repeated group whose
 * body can match empty behaves differently (JS rejects an empty iteration and
 * backtracks into it, PCRE stops looping), which can change captures or the
 * match extent. CRS v4.28 has neither (checked against PCRE2 on all its patterns).
 *
 * Constructs JavaScript cannot express faithfully (recursion, conditionals,
 * branch reset, \G, \K, \p, backtracking verbs, the U/J flags, ...) throw
 * PcreSyntaxError naming the construct.
 */

import { alternativesOf, ANY, byteLiterals, classLiterals, EMPTY, optional, prefilterLiterals, repeated, sequenceOf, type Literals } from './literal-factors.ts';

export class PcreSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PcreSyntaxError';
  }
}

export interface TranslatedPattern {
  /** JavaScript RegExp source (no flags needed). */
  readonly source: string;
  /**
   * Byte sets of which the subject must contain at least one byte each for any
   * match to exist (see `Clauses` below): a cheap, exact pre-check.
   */
  readonly required: readonly Uint8Array[];
  /**
   * Byte sets for screening a value once for many rules (byte-screen.ts), where a set costs
   * the same whatever its size: `required`, or when it is empty the lightest necessary sets
   * however common their bytes (the letters every SQL keyword needs rule out a number).
   */
  readonly screenSets: readonly Uint8Array[];
  /** PCRE capture group n (1-based) → JS group index; index 0 unused. */
  readonly groupMap: readonly number[];
  /** Number of PCRE capturing groups. */
  readonly groupCount: number;
  /**
   * ASCII-lowercased strings of which the subject must contain one (compared
   * without regard to ASCII case) for any match to exist, or null when no
   * selective set exists: the literal prefilter (see literal-factors.ts).
   */
  readonly literals: readonly string[] | null;
}

type Part = string | { readonly open: number } | { readonly ref: number };

interface Frame {
  /** Index in `parts` where the group's own output starts (for quantifiers). */
  readonly start: number;
  /** Text that closes the group in the output. */
  readonly close: string;
  /** Atomic emulation: id of the capture to back-reference after `close`. */
  readonly atomicId: number;
  /** Flags in force when the group opened (restored at its end). */
  readonly saved: Flags;
  /** Whether the group's content must occur in the subject (false for negative lookarounds). */
  readonly required: boolean;
  /** Required-byte clauses of the finished alternatives and of the current one. */
  readonly alts: Clause[][];
  seq: Clause[];
  /** A lookaround: it consumes nothing, so its literals are not the match's. */
  readonly lookaround: boolean;
  /** Literals of the finished alternatives, and of each item of the current one. */
  readonly litAlts: Literals[];
  lits: Literals[];
  /** A `(?:...)` group whose translation GROUP_CACHE keeps once it closes at `end`. */
  readonly memo?: { readonly key: string; readonly end: number };
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
}

const SPACE_CHARS = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20];
const HSPACE_CHARS = [0x09, 0x20, 0xa0];
const VSPACE_CHARS = [0x0a, 0x0b, 0x0c, 0x0d, 0x85];

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let c = from; c <= to; c++) out.push(c);
  return out;
}

const DIGIT = range(0x30, 0x39);
const UPPER = range(0x41, 0x5a);
const LOWER = range(0x61, 0x7a);
const WORD = [...DIGIT, ...UPPER, ...LOWER, 0x5f];

const POSIX: Record<string, number[]> = {
  alnum: [...DIGIT, ...UPPER, ...LOWER],
  alpha: [...UPPER, ...LOWER],
  ascii: range(0x00, 0x7f),
  blank: [0x09, 0x20],
  cntrl: [...range(0x00, 0x1f), 0x7f],
  digit: DIGIT,
  graph: range(0x21, 0x7e),
  lower: LOWER,
  print: range(0x20, 0x7e),
  punct: [...range(0x21, 0x2f), ...range(0x3a, 0x40), ...range(0x5b, 0x60), ...range(0x7b, 0x7e)],
  space: SPACE_CHARS,
  upper: UPPER,
  word: WORD,
  xdigit: [...DIGIT, ...range(0x41, 0x46), ...range(0x61, 0x66)],
};

/** `\xHH` for every byte, built once: classSource writes thousands of them per load. */
const HEX_ESCAPE: readonly string[] = Array.from({ length: 256 }, (_, c) => `\\x${c.toString(16).padStart(2, '0')}`);

const JS_SPECIAL = new Set('\\^$.|?*+()[]{}/-'.split('').map((c) => c.charCodeAt(0)));

/** A single byte as JS regex source (outside a class). */
function literal(c: number): string {
  if (c < 0x20 || c >= 0x7f) return HEX_ESCAPE[c] as string;
  return JS_SPECIAL.has(c) ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
}

/** A byte set as a JS class; a set with more than half the bytes is written negated. */
function classSource(set: Uint8Array): string {
  let count = 0;
  for (let c = 0; c < 256; c++) count += set[c] as number;
  if (count === 0) return '[]';
  if (count === 256) return '[\\s\\S]';
  const negate = count > 128;
  let body = '';
  for (let c = 0; c < 256; c++) {
    if (((set[c] as number) === 1) === negate) continue;
    let end = c;
    while (end + 1 < 256 && ((set[end + 1] as number) === 1) !== negate) end++;
    const from = HEX_ESCAPE[c] as string;
    const to = HEX_ESCAPE[end] as string;
    body += end === c ? from : end === c + 1 ? from + to : `${from}-${to}`;
    c = end;
  }
  return negate ? `[^${body}]` : `[${body}]`;
}

function setOf(chars: readonly number[], negate = false): Uint8Array {
  const set = new Uint8Array(256);
  for (const c of chars) set[c] = 1;
  if (negate) for (let c = 0; c < 256; c++) set[c] = set[c] ? 0 : 1;
  return set;
}

/*
 * Shared byte sets. Sets that stand for an escape or a single byte are built
 * once and shared by every pattern; nothing writes into a set after building
 * it (classes copy from them), so sharing is safe and saves an allocation and
 * a weight computation per atom.
 */
const SINGLE_CLAUSES: (Clause | undefined)[] = [];
const CASELESS_CLAUSES: (Clause | undefined)[] = [];
const ANY_BYTE_SET = setOf([], true);
const NOT_NEWLINE_SET = setOf([0x0a], true);
const ESCAPE_SETS: Readonly<Record<string, Uint8Array>> = {
  s: setOf(SPACE_CHARS),
  S: setOf(SPACE_CHARS, true),
  h: setOf(HSPACE_CHARS),
  H: setOf(HSPACE_CHARS, true),
  v: setOf(VSPACE_CHARS),
  V: setOf(VSPACE_CHARS, true),
  d: setOf(DIGIT),
  D: setOf(DIGIT, true),
  w: setOf(WORD),
  W: setOf(WORD, true),
};

function singleClause(c: number): Clause {
  return (SINGLE_CLAUSES[c] ??= clauseOf(setOf([c])));
}

/** {A, a} for the lower-case letter `lower`. */
function caselessClause(lower: number): Clause {
  return (CASELESS_CLAUSES[lower] ??= clauseOf(setOf([lower & ~0x20, lower])));
}

/** Parsed classes by caseless flag + text; bounded, as run-time (macro) patterns pass here too. */
const CLASS_CACHE = new Map<string, { readonly clause: Clause; readonly source: string }>();
const CLASS_CACHE_LIMIT = 20_000;
const POSIX_CLASS = /^\[:\^?[a-z]+:\]/;

/**
 * Index just past the `]` closing the class that opens at `start`, or -1 when
 * the text holds something a quick scan should not judge (\Q, \c, an
 * unterminated class): the parser then decides alone.
 */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p.charCodeAt(i) === 0x5e) i++; // ^
  if (p.charCodeAt(i) === 0x5d) i++; // ] first is a literal
  for (; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 0x5d) return i + 1;
    if (c === 0x5c) {
      const e = p.charCodeAt(i + 1);
      if (e === 0x51 || e === 0x63) return -1; // \Q \c
      i++;
    } else if (c === 0x5b && p.charCodeAt(i + 1) === 0x3a) {
      const m = POSIX_CLASS.exec(p.slice(i, i + 14));
      if (m) i += m[0].length - 1;
    }
  }
  return -1;
}

/** A translated `(?:...)` group: its output, and what it hands its parent. */
interface GroupResult {
  readonly parts: readonly string[];
  readonly clauses: readonly Clause[];
  readonly lits: Literals;
}

/**
 * Non-capturing groups already translated, by entry flags + text. CRS's
 * 932xxx patterns repeat the same evasion group after every letter of every
 * command word (hundreds of times per pattern). Bounded, as run-time (macro)
 * patterns pass here too, and limited to short groups.
 */
const GROUP_CACHE = new Map<string, GroupResult>();
const GROUP_CACHE_LIMIT = 5_000;
const MAX_GROUP_TEXT = 256;

/** After `(?`: groups whose translation depends on nothing outside them. */
function isSelfContained(p: string, i: number): boolean {
  const k = p.charCodeAt(i);
  if (k === 0x3a || k === 0x3d || k === 0x21) return true; // (?: (?= (?!
  if (k === 0x3c) return p.charCodeAt(i + 1) === 0x3d || p.charCodeAt(i + 1) === 0x21; // lookbehind, not a name
  // Flag groups, without x (comments could hide a parenthesis from groupEnd).
  for (let j = i; j < p.length; j++) {
    const c = p.charCodeAt(j);
    if (c === 0x3a || c === 0x29) return j > i || c === 0x3a;
    if (c === 0x78 || !(c === 0x2d || c === 0x5e || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) return false;
  }
  return false;
}

/**
 * Index just past the `)` closing the `(?:` group at `start`, or -1 when the
 * group is long or holds something numbered or context-dependent: capturing
 * or named groups, back references, atomic groups, possessive quantifiers,
 * \Q, \c, comments, verbs. The translator re-checks the end it finds.
 */
function groupEnd(p: string, start: number): number {
  const limit = Math.min(p.length, start + MAX_GROUP_TEXT);
  let depth = 0;
  for (let i = start; i < limit; i++) {
    const c = p.charCodeAt(i);
    if (c === 0x5c) {
      const e = p.charCodeAt(i + 1);
      // \digit \g \k \Q \E \c
      if ((e >= 0x30 && e <= 0x39) || e === 0x67 || e === 0x6b || e === 0x51 || e === 0x45 || e === 0x63) return -1;
      i++;
    } else if (c === 0x5b) {
      const end = classEnd(p, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (c === 0x28) {
      if (p.charCodeAt(i + 1) !== 0x3f || !isSelfContained(p, i + 2)) return -1;
      depth++;
    } else if (c === 0x29) {
      if (--depth === 0) return i + 1;
    } else if ((c === 0x2b || c === 0x2a || c === 0x3f || c === 0x7d) && p.charCodeAt(i + 1) === 0x2b) {
      return -1; // possessive
    }
  }
  return -1;
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexCode(c: number): boolean {
  return isDigitCode(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isOctalCode(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

/** Counts capturing groups, to tell `\12` (back reference) from an octal escape as PCRE does. */
function countGroups(p: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        i = end === -1 ? p.length : end + 1;
      } else {
        i++;
      }
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (p[i + 1] === '^') i++;
      if (p[i + 1] === ']') i++;
    } else if (c === '(') {
      if (p[i + 1] !== '?' && p[i + 1] !== '*') n++;
      else if (p[i + 2] !== ':' && /^\(\?(P?<[A-Za-z_]|')/.test(p.slice(i, i + 4))) n++;
    }
  }
  return n;
}

/*
 * Required bytes. A clause is a byte set such that any match needs the subject
 * to contain at least one of its bytes. A sequence needs all its items'
 * clauses; an alternation needs, for each branch, its most selective clause,
 * so the union of those; an item that may repeat zero times needs nothing;
 * positive lookarounds constrain the subject too, negative ones and back
 * references give nothing. The translator keeps the clauses of the most
 * selective kind (rare bytes) as the pre-check `required`.
 */

/** How common a byte is in request data: clauses made of rare bytes are the useful ones. */
const BYTE_WEIGHT = new Uint8Array(256).map((_, c) => {
  if (c >= 0x61 && c <= 0x7a) return 10;
  if (c >= 0x30 && c <= 0x39) return 8;
  if (c === 0x20) return 8;
  if (c >= 0x41 && c <= 0x5a) return 6;
  if ('./-_=&%+,:;'.includes(String.fromCharCode(c))) return 5;
  if (c > 0x20 && c < 0x7f) return 2;
  return 1;
});

/** Clauses heavier than this are not worth a pre-check. */
const MAX_CLAUSE_WEIGHT = 24;

/** A required-byte clause with its weight and bytes, computed once per set. */
interface Clause {
  readonly set: Uint8Array;
  readonly weight: number;
  readonly members: readonly number[];
}

const CLAUSES = new WeakMap<Uint8Array, Clause>();

function clauseOf(set: Uint8Array): Clause {
  let clause = CLAUSES.get(set);
  if (clause === undefined) {
    let weight = 0;
    const members: number[] = [];
    for (let c = 0; c < 256; c++) {
      if (set[c]) {
        weight += BYTE_WEIGHT[c] as number;
        members.push(c);
      }
    }
    clause = { set, weight, members };
    CLAUSES.set(set, clause);
  }
  return clause;
}

function bestClause(clauses: readonly Clause[]): Clause | undefined {
  let best: Clause | undefined;
  let bestWeight = Infinity;
  for (const c of clauses) {
    if (c.weight < bestWeight) {
      best = c;
      bestWeight = c.weight;
    }
  }
  return best;
}

/**
 * The clauses of a sequence that can still matter: its two lightest (first
 * ones on ties) and any empty set. Every later use keeps only the lightest
 * clause of a branch or the two lightest overall, so a group hands its parent
 * these instead of all its clauses (long literals have one per byte).
 */
function lightest(clauses: readonly Clause[]): Clause[] {
  if (clauses.length <= 2) return [...clauses];
  let first: Clause | undefined;
  let second: Clause | undefined;
  let w1 = Infinity;
  let w2 = Infinity;
  for (const c of clauses) {
    const w = c.weight;
    if (w === 0) continue;
    if (w < w1) {
      second = first;
      w2 = w1;
      first = c;
      w1 = w;
    } else if (w < w2) {
      second = c;
      w2 = w;
    }
  }
  // Keep the sequence's order, which decides ties later on.
  return clauses.filter((c) => c === first || c === second || c.weight === 0);
}

/** Clauses every match of one of the alternatives satisfies. */
function mergeAlternatives(alts: readonly (readonly Clause[])[]): Clause[] {
  if (alts.length === 1) return lightest(alts[0] as Clause[]);
  const bests: Clause[] = [];
  for (const alt of alts) {
    const best = bestClause(alt);
    if (!best) return [];
    if (!bests.includes(best)) bests.push(best);
  }
  if (bests.length === 1) return bests;
  const union = new Uint8Array(256);
  const members: number[] = [];
  let weight = 0;
  for (const best of bests) {
    for (const c of best.members) {
      if (union[c] === 0) {
        union[c] = 1;
        members.push(c);
        weight += BYTE_WEIGHT[c] as number;
      }
    }
  }
  return [{ set: union, weight, members }];
}

/** Whether an output part opens a lookaround: `(?=` `(?!` `(?<=` `(?<!`. */
function isLookaround(part: Part | undefined): boolean {
  if (typeof part !== 'string' || part.charCodeAt(0) !== 0x28 || part.charCodeAt(1) !== 0x3f) return false;
  const c = part.charCodeAt(part.charCodeAt(2) === 0x3c ? 3 : 2);
  return c === 0x3d || c === 0x21;
}

const LOOKAROUNDS: ReadonlyArray<readonly [string, string]> = [['(?=', '(?='], ['(?!', '(?!'], ['(?<=', '(?<='], ['(?<!', '(?<!']];

class Translator {
  private readonly p: string;
  private pos = 0;
  private readonly parts: Part[] = [];
  private readonly frames: Frame[] = [];
  private flags: Flags = { i: false, s: true, m: false, x: false };
  private lastAtom = -1;
  /** Index in the current frame's `seq` where the last atom's clauses start. */
  private lastClauses = -1;
  /** Index in the current frame's `lits` of the last atom's literals. */
  private lastLit = -1;
  private groupId = 0;
  private atomicId = 0;
  private readonly names = new Map<string, number>();
  /** Indexes in `parts` where top-level alternatives start. */
  private readonly rootAlternatives: number[] = [0];
  private groupTotal = -1;

  constructor(pattern: string) {
    this.p = pattern;
  }

  /** Capturing groups in the whole pattern, counted on first need (back references only). */
  private get totalGroups(): number {
    if (this.groupTotal < 0) this.groupTotal = countGroups(this.p);
    return this.groupTotal;
  }

  translate(): TranslatedPattern {
    this.parse();
    return this.render();
  }

  /** The literals every match needs, before the prefilter's selection. */
  literals(): Literals {
    this.parse();
    const root = this.frames[0] as Frame;
    return alternativesOf([...root.litAlts, sequenceOf(root.lits)]);
  }

  private parse(): void {
    this.frames.push({ start: 0, close: '', atomicId: 0, saved: { ...this.flags }, required: true, alts: [], seq: [], lookaround: false, litAlts: [], lits: [] });
    while (this.pos < this.p.length) this.step();
    if (this.frames.length > 1) throw new PcreSyntaxError('missing ) at end of pattern');
  }

  private code(at = this.pos): number {
    return at < this.p.length ? this.p.charCodeAt(at) : -1;
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  /**
   * Emits an atom; `clause` is the byte set one of which it consumes, if it always consumes one;
   * `lits` its literals (by default those of `clause`, or none).
   */
  private atom(text: string, clause?: Clause, lits?: Literals): void {
    this.lastAtom = this.parts.length;
    this.parts.push(text);
    const frame = this.frame;
    this.lastClauses = frame.seq.length;
    if (clause) frame.seq.push(clause);
    this.lastLit = frame.lits.length;
    frame.lits.push(lits ?? (clause ? classLiterals(clause.set) : ANY));
  }

  /** A zero-width assertion. */
  private assertion(text: string): void {
    this.atom(text, undefined, EMPTY);
  }

  private byteAtom(c: number): void {
    const lower = c | 0x20;
    if (this.flags.i && lower >= 0x61 && lower <= 0x7a) {
      this.atom(`[${String.fromCharCode(lower & ~0x20)}${String.fromCharCode(lower)}]`, caselessClause(lower), byteLiterals(c));
    } else {
      this.atom(literal(c), singleClause(c), byteLiterals(c));
    }
  }

  /** A byte set as an atom; classes arrive already case-folded (see parseClass). */
  private setAtom(set: Uint8Array): void {
    this.atom(classSource(set), clauseOf(set));
  }

  private step(): void {
    const c = this.code();
    if (this.flags.x) {
      if (SPACE_CHARS.includes(c)) {
        this.pos++;
        return;
      }
      if (c === 0x23) {
        const nl = this.p.indexOf('\n', this.pos);
        this.pos = nl === -1 ? this.p.length : nl + 1;
        return;
      }
    }
    switch (c) {
      case 0x5c: // backslash
        this.escape();
        return;
      case 0x5b: // [
        this.classAtom();
        return;
      case 0x28: // (
        this.openGroup();
        return;
      case 0x29: // )
        this.closeGroup();
        return;
      case 0x7c: // |
        this.pos++;
        this.alternation();
        return;
      case 0x2e: // .
        this.pos++;
        this.atom(this.flags.s ? '[\\s\\S]' : '[^\\n]', clauseOf(this.flags.s ? ANY_BYTE_SET : NOT_NEWLINE_SET));
        return;
      case 0x5e: // ^
        this.pos++;
        this.assertion(this.flags.m ? '(?:^|(?<=\\n)(?!$))' : '^');
        return;
      case 0x24: // $
        this.pos++;
        this.assertion(this.flags.m ? '(?=\\n|$)' : '$');
        return;
      case 0x2a: // *
      case 0x2b: // +
      case 0x3f: // ?
        this.quantifier(String.fromCharCode(c), 1);
        return;
      case 0x7b: { // {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.pos, this.pos + 16));
        if (m) {
          if (Number(m[1]) > 65535 || (m[3] && Number(m[3]) > 65535)) throw new PcreSyntaxError('number too big in {} quantifier');
          if (m[3] && Number(m[3]) < Number(m[1])) throw new PcreSyntaxError('numbers out of order in {} quantifier');
          this.quantifier(m[0], m[0].length);
        } else {
          this.pos++;
          this.byteAtom(c);
        }
        return;
      }
      default:
        this.pos++;
        this.byteAtom(c);
    }
  }

  private quantifier(text: string, length: number): void {
    this.pos += length;
    if (this.lastAtom < 0) throw new PcreSyntaxError(`quantifier "${text}" does not follow a repeatable item`);
    // An item that may occur zero times requires nothing.
    const min = text === '+' ? 1 : text === '*' || text === '?' ? 0 : Number(/^\{(\d+)/.exec(text)?.[1] ?? 0);
    if (min === 0 && this.lastClauses >= 0) this.frame.seq.length = this.lastClauses;
    if (this.lastLit >= 0) {
      const lits = this.frame.lits;
      const item = lits[this.lastLit] as Literals;
      const once = text === '{1}' || text === '{1,1}';
      lits[this.lastLit] = once ? item : text === '?' || text === '{0,1}' ? optional(item) : repeated(item, min);
    }
    if (isLookaround(this.parts[this.lastAtom])) {
      // PCRE lets assertions be repeated; JS needs a group around a lookaround to quantify it.
      this.parts.splice(this.lastAtom, 0, '(?:');
      this.parts.push(')');
    }
    const mode = this.code();
    if (mode === 0x3f) {
      this.pos++;
      this.parts.push(text + '?');
    } else if (mode === 0x2b) {
      // Possessive: (?>atom{q}) emulated as (?=(atom{q}))\N.
      this.pos++;
      const id = --this.atomicId;
      const atom = this.parts.splice(this.lastAtom);
      this.parts.push('(?=', { open: id }, ...atom, text, '))', { ref: id });
    } else {
      this.parts.push(text);
    }
    // A quantifier cannot itself be quantified.
    this.lastAtom = -1;
    this.lastClauses = -1;
    this.lastLit = -1;
  }

  private alternation(): void {
    // Flags set by (?i) earlier in the group stay in force in later alternatives, as in PCRE.
    this.parts.push('|');
    if (this.frames.length === 1) this.rootAlternatives.push(this.parts.length);
    const frame = this.frame;
    frame.alts.push(frame.seq);
    frame.seq = [];
    frame.litAlts.push(sequenceOf(frame.lits));
    frame.lits = [];
    this.lastAtom = -1;
    this.lastClauses = -1;
    this.lastLit = -1;
  }

  private pushFrame(open: Part[], close: string, atomicId: number, flags: Flags, required = true, lookaround = false, memo?: Frame['memo']): void {
    const start = this.parts.length;
    this.frames.push({ start, close, atomicId, saved: { ...this.flags }, required, alts: [], seq: [], lookaround, litAlts: [], lits: [], memo });
    this.parts.push(...open);
    this.flags = flags;
    this.lastAtom = -1;
    this.lastClauses = -1;
    this.lastLit = -1;
  }

  private closeGroup(): void {
    this.pos++;
    if (this.frames.length === 1) throw new PcreSyntaxError('unmatched ) in pattern');
    const frame = this.frames.pop() as Frame;
    this.parts.push(frame.close);
    if (frame.atomicId !== 0) this.parts.push({ ref: frame.atomicId });
    this.flags = frame.saved;
    this.lastAtom = frame.start;
    const parent = this.frame;
    this.lastClauses = parent.seq.length;
    const clauses = frame.required ? mergeAlternatives([...frame.alts, frame.seq]) : [];
    parent.seq.push(...clauses);
    this.lastLit = parent.lits.length;
    const lits = frame.lookaround ? EMPTY : alternativesOf([...frame.litAlts, sequenceOf(frame.lits)]);
    parent.lits.push(lits);
    // Cache only when the quick scan agreed with the parser on the group's end.
    if (frame.memo !== undefined && frame.memo.end === this.pos && GROUP_CACHE.size < GROUP_CACHE_LIMIT) {
      const parts = this.parts.slice(frame.start);
      if (parts.every((part) => typeof part === 'string')) GROUP_CACHE.set(frame.memo.key, { parts: parts as string[], clauses, lits });
    }
  }

  /** A cached group: the same output and parent state as translating it again (see closeGroup). */
  private replay(group: GroupResult): void {
    const parent = this.frame;
    this.lastAtom = this.parts.length;
    for (const part of group.parts) this.parts.push(part);
    this.lastClauses = parent.seq.length;
    for (const clause of group.clauses) parent.seq.push(clause);
    this.lastLit = parent.lits.length;
    parent.lits.push(group.lits);
  }

  private openGroup(): void {
    const p = this.p;
    const inherit = (): Flags => ({ ...this.flags });
    const next = p[this.pos + 1];
    if (next !== '?' && next !== '*') {
      this.pos++;
      this.pushFrame([{ open: ++this.groupId }], ')', 0, inherit());
      return;
    }
    if (next === '?' && p[this.pos + 2] === ':') {
      const end = this.flags.x ? -1 : groupEnd(p, this.pos);
      const key = end === -1 ? undefined : `${+this.flags.i}${+this.flags.s}${+this.flags.m}${p.slice(this.pos, end)}`;
      const hit = key === undefined ? undefined : GROUP_CACHE.get(key);
      if (hit !== undefined) {
        this.replay(hit);
        this.pos = end;
        return;
      }
      this.pos += 3;
      this.pushFrame(['(?:'], ')', 0, inherit(), true, false, key === undefined ? undefined : { key, end });
      return;
    }
    const rest = p.slice(this.pos, this.pos + 40);
    if (rest.startsWith('(*')) throw new PcreSyntaxError(`backtracking control verb or option "${/^\(\*[^)]*\)?/.exec(rest)?.[0]}" is not supported`);
    const named = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(rest);
    if (named) {
      this.pos += named[0].length;
      const id = ++this.groupId;
      this.names.set((named[1] ?? named[2]) as string, id);
      this.pushFrame([{ open: id }], ')', 0, inherit());
      return;
    }
    for (const [pcre, js] of LOOKAROUNDS) {
      if (rest.startsWith(pcre)) {
        this.pos += pcre.length;
        this.pushFrame([js], ')', 0, inherit(), !pcre.endsWith('!'), true);
        return;
      }
    }
    if (rest.startsWith('(?>')) {
      this.pos += 3;
      const id = --this.atomicId;
      this.pushFrame(['(?=', { open: id }], '))', id, inherit());
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', this.pos);
      if (end === -1) throw new PcreSyntaxError('missing ) after (?# comment');
      this.pos = end + 1;
      return;
    }
    const backref = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
    if (backref) {
      this.pos += backref[0].length;
      this.namedRef(backref[1] as string);
      return;
    }
    const opts = /^\(\?(\^)?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (!opts) {
      const what = rest.startsWith('(?(') ? 'conditional group (?(...)'
        : rest.startsWith('(?|') ? 'branch reset group (?|...)'
        : /^\(\?[R0-9+&-]|^\(\?P>/.test(rest) ? 'recursion or subroutine call'
        : `group syntax "${rest.slice(0, 4)}"`;
      throw new PcreSyntaxError(`${what} is not supported`);
    }
    this.pos += opts[0].length;
    const flags: Flags = opts[1] ? { i: false, s: false, m: false, x: false } : inherit();
    const apply = (letters: string, on: boolean): void => {
      for (const l of letters) {
        if (l === 'i' || l === 's' || l === 'm' || l === 'x') flags[l] = on;
        else throw new PcreSyntaxError(`inline flag "${l}" is not supported`);
      }
    };
    apply(opts[2] ?? '', true);
    apply(opts[3] ?? '', false);
    if (opts[4] === ':') {
      this.pushFrame(['(?:'], ')', 0, flags);
      return;
    }
    // (?flags) applies to the rest of the enclosing group, across its later alternatives too.
    this.flags = flags;
    this.lastAtom = -1;
    this.lastLit = -1;
  }

  private namedRef(name: string): void {
    const id = this.names.get(name);
    if (id === undefined) throw new PcreSyntaxError(`reference to non-existent subpattern "${name}"`);
    this.ref(id);
  }

  private numberedRef(n: number): void {
    if (n < 1 || n > this.totalGroups) throw new PcreSyntaxError(`reference to non-existent subpattern ${n}`);
    this.ref(n);
  }

  /** A back reference; under (?i) it compares caselessly, which needs a JS modifier group. */
  private ref(id: number): void {
    this.lastAtom = this.parts.length;
    this.lastClauses = this.frame.seq.length;
    this.lastLit = this.frame.lits.length;
    this.frame.lits.push(ANY);
    if (this.flags.i) this.parts.push('(?i:', { ref: id }, ')');
    else this.parts.push({ ref: id });
  }

  /** Escapes outside a class. */
  private escape(): void {
    const p = this.p;
    const e = p[this.pos + 1];
    if (e === undefined) throw new PcreSyntaxError('\\ at end of pattern');
    switch (e) {
      case 'd': case 'D': case 'w': case 'W':
        this.pos += 2;
        this.atom(`\\${e}`, clauseOf(ESCAPE_SETS[e] as Uint8Array));
        return;
      case 'b': case 'B':
        this.pos += 2;
        this.assertion(`\\${e}`);
        return;
      case 'A':
        this.pos += 2;
        this.assertion('^');
        return;
      case 'z':
        this.pos += 2;
        this.assertion('$');
        return;
      case 'Z':
        this.pos += 2;
        this.assertion('(?=\\n?$)');
        return;
      case 'R':
        this.pos += 2;
        this.atom('(?:\\r\\n|[\\n\\v\\f\\r\\x85])');
        return;
      case 'Q': {
        const end = p.indexOf('\\E', this.pos + 2);
        const text = p.slice(this.pos + 2, end === -1 ? p.length : end);
        this.pos = end === -1 ? p.length : end + 2;
        for (let k = 0; k < text.length; k++) this.byteAtom(text.charCodeAt(k));
        return;
      }
      case 'E':
        this.pos += 2;
        return;
      case 'g': {
        const m = /^\\g(?:\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_][A-Za-z0-9_]*)\})/.exec(p.slice(this.pos, this.pos + 40));
        if (!m) throw new PcreSyntaxError('\\g is not followed by a group number or name');
        this.pos += m[0].length;
        if (m[3] !== undefined) {
          this.namedRef(m[3]);
          return;
        }
        const n = Number(m[1] ?? m[2]);
        this.numberedRef(n < 0 ? this.groupId + 1 + n : n);
        return;
      }
      case 'k': {
        const m = /^\\k(?:<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)'|\{([A-Za-z_][A-Za-z0-9_]*)\})/.exec(p.slice(this.pos, this.pos + 40));
        if (!m) throw new PcreSyntaxError('\\k is not followed by a group name');
        this.pos += m[0].length;
        this.namedRef((m[1] ?? m[2] ?? m[3]) as string);
        return;
      }
      case 'G': case 'K': case 'p': case 'P': case 'X':
        throw new PcreSyntaxError(`escape \\${e} is not supported`);
      default:
        break;
    }
    if (e >= '1' && e <= '9') {
      const digits = /^\d+/.exec(p.slice(this.pos + 1))?.[0] as string;
      const n = Number(digits);
      // PCRE: a back reference when below 10 or not above the group count; otherwise octal.
      if (n < 10 || n <= this.totalGroups) {
        this.pos += 1 + digits.length;
        this.numberedRef(n);
        return;
      }
    }
    const set = this.classEscape();
    if (set) this.setAtom(set.set);
    else this.byteAtom(this.singleEscape());
  }

  /** Class-like escapes (\s \h \v \N and friends); advances past them when matched. */
  private classEscape(inClass = false): { set: Uint8Array } | undefined {
    const e = this.p[this.pos + 1];
    let set: Uint8Array | undefined;
    switch (e) {
      case 's': case 'S': case 'h': case 'H': case 'v': case 'V': set = ESCAPE_SETS[e]; break;
      case 'd': case 'D': case 'w': case 'W': set = inClass ? ESCAPE_SETS[e] : undefined; break;
      case 'N': set = inClass ? undefined : NOT_NEWLINE_SET; break;
      case 'C': set = inClass ? undefined : ANY_BYTE_SET; break;
      default: break;
    }
    if (set) this.pos += 2;
    return set ? { set } : undefined;
  }

  /** An escape that stands for one byte; advances past it. */
  private singleEscape(inClass = false): number {
    const p = this.p;
    const e = p.charCodeAt(this.pos + 1);
    const ch = p[this.pos + 1] as string;
    this.pos += 2;
    switch (ch) {
      case 'a': return 0x07;
      case 'e': return 0x1b;
      case 'f': return 0x0c;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 't': return 0x09;
      case 'b': if (inClass) return 0x08; break;
      case 'c': {
        const x = p.charCodeAt(this.pos);
        if (Number.isNaN(x) || x > 0x7f) throw new PcreSyntaxError('\\c must be followed by an ASCII character');
        this.pos++;
        return (x >= 0x61 && x <= 0x7a ? x - 0x20 : x) ^ 0x40;
      }
      case 'x': {
        if (p[this.pos] === '{') {
          const end = p.indexOf('}', this.pos);
          const digits = end === -1 ? '' : p.slice(this.pos + 1, end);
          if (!/^[0-9a-fA-F]+$/.test(digits)) throw new PcreSyntaxError('malformed \\x{...} escape');
          const v = Number.parseInt(digits, 16);
          if (v > 0xff) throw new PcreSyntaxError(`character value \\x{${digits}} is too large for a byte pattern`);
          this.pos = end + 1;
          return v;
        }
        let v = 0;
        let k = 0;
        while (k < 2 && isHexCode(p.charCodeAt(this.pos))) {
          v = v * 16 + Number.parseInt(p[this.pos] as string, 16);
          this.pos++;
          k++;
        }
        return v;
      }
      case 'o': {
        const m = /^\{([0-7]+)\}/.exec(p.slice(this.pos));
        if (!m) throw new PcreSyntaxError('malformed \\o{...} escape');
        const v = Number.parseInt(m[1] as string, 8);
        if (v > 0xff) throw new PcreSyntaxError(`character value \\o{${m[1]}} is too large for a byte pattern`);
        this.pos += m[0].length;
        return v;
      }
      default:
        break;
    }
    if (isOctalCode(e)) {
      // Up to three octal digits (the first already consumed).
      let v = e - 0x30;
      let k = 1;
      while (k < 3 && isOctalCode(p.charCodeAt(this.pos))) {
        v = v * 8 + (p.charCodeAt(this.pos) - 0x30);
        this.pos++;
        k++;
      }
      if (v > 0xff) throw new PcreSyntaxError('octal value is greater than \\377 in a byte pattern');
      return v;
    }
    if (e === 0x38 || e === 0x39) return e; // \8 \9 without such a group: the digit itself
    // PCRE2 rejects unknown letter escapes (PCRE1 took them literally): refuse rather than guess.
    if ((e >= 0x41 && e <= 0x5a) || (e >= 0x61 && e <= 0x7a)) {
      throw new PcreSyntaxError(`unrecognized escape \\${ch}${inClass ? ' in character class' : ''}`);
    }
    return e;
  }

  /**
   * A class as an atom. CRS patterns repeat the same classes hundreds of
   * times (932xxx: `["'\)\[\x5c]*` after every letter), so parsed classes are
   * shared through CLASS_CACHE, keyed by their text and the caseless flag.
   */
  private classAtom(): void {
    const start = this.pos;
    const end = classEnd(this.p, start);
    const key = end === -1 ? undefined : (this.flags.i ? 'i' : 'c') + this.p.slice(start, end);
    const cached = key === undefined ? undefined : CLASS_CACHE.get(key);
    if (cached !== undefined) {
      this.pos = end;
      this.atom(cached.source, cached.clause);
      return;
    }
    this.pos++;
    const set = this.parseClass();
    const source = classSource(set);
    const clause = clauseOf(set);
    // Only when the quick scan agreed with the parser on where the class ends.
    if (key !== undefined && this.pos === end && CLASS_CACHE.size < CLASS_CACHE_LIMIT) CLASS_CACHE.set(key, { clause, source });
    this.atom(source, clause);
  }

  /** Parses a class after `[` into a byte set. */
  private parseClass(): Uint8Array {
    const p = this.p;
    const set = new Uint8Array(256);
    let negate = false;
    if (p[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    let first = true;
    for (;;) {
      if (this.pos >= p.length) throw new PcreSyntaxError('missing terminating ] for character class');
      const c = p.charCodeAt(this.pos);
      if (c === 0x5d && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === 0x5b) {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(this.pos, this.pos + 14));
        if (posix) {
          const chars = POSIX[posix[2] as string];
          if (!chars) throw new PcreSyntaxError(`unknown POSIX class name "${posix[2]}"`);
          const add = setOf(chars, posix[1] === '^');
          for (let k = 0; k < 256; k++) if (add[k]) set[k] = 1;
          this.pos += posix[0].length;
          continue;
        }
      }
      if (c === 0x5c && p[this.pos + 1] === 'Q') {
        const end = p.indexOf('\\E', this.pos + 2);
        const text = p.slice(this.pos + 2, end === -1 ? p.length : end);
        this.pos = end === -1 ? p.length : end + 2;
        for (let k = 0; k < text.length; k++) set[text.charCodeAt(k)] = 1;
        continue;
      }
      if (c === 0x5c && p[this.pos + 1] === 'E') {
        this.pos += 2;
        continue;
      }
      let lo: number;
      if (c === 0x5c) {
        const cls = this.classEscape(true);
        if (cls) {
          for (let k = 0; k < 256; k++) if (cls.set[k]) set[k] = 1;
          continue;
        }
        lo = this.singleEscape(true);
      } else {
        lo = c;
        this.pos++;
      }
      // A range needs "-" followed by something other than "]".
      if (p[this.pos] === '-' && this.pos + 1 < p.length && p[this.pos + 1] !== ']') {
        const save = this.pos;
        this.pos++;
        let hi: number;
        if (p[this.pos] === '\\') {
          const cls = this.classEscape(true);
          if (cls) {
            // "a-\d" is a literal a, "-" and the class, as in PCRE.
            set[lo] = 1;
            set[0x2d] = 1;
            for (let k = 0; k < 256; k++) if (cls.set[k]) set[k] = 1;
            continue;
          }
          hi = this.singleEscape(true);
        } else if (p[this.pos] === '[' && /^\[:\^?[a-z]+:\]/.test(p.slice(this.pos, this.pos + 14))) {
          this.pos = save;
          set[lo] = 1;
          continue;
        } else {
          hi = p.charCodeAt(this.pos);
          this.pos++;
        }
        if (hi < lo) throw new PcreSyntaxError('range out of order in character class');
        for (let k = lo; k <= hi; k++) set[k] = 1;
        continue;
      }
      set[lo] = 1;
    }
    // Caseless matching applies to the items, before negation: (?i)[^a-z] excludes A-Z too.
    if (this.flags.i) {
      for (let c = 0x41; c <= 0x5a; c++) {
        if (set[c] || set[c + 0x20]) {
          set[c] = 1;
          set[c + 0x20] = 1;
        }
      }
    }
    if (negate) for (let k = 0; k < 256; k++) set[k] = set[k] ? 0 : 1;
    return set;
  }

  private render(): TranslatedPattern {
    // Number every capturing group by position, as JS does, then write references.
    // Without capturing or atomic groups every part is a string (references need a group).
    const jsIndex = new Map<number, number>();
    let source: string;
    if (this.groupId === 0 && this.atomicId === 0) {
      source = (this.parts as string[]).join('');
    } else {
      let n = 0;
      for (const part of this.parts) {
        if (typeof part !== 'string' && 'open' in part) jsIndex.set(part.open, ++n);
      }
      const out: string[] = new Array<string>(this.parts.length);
      for (let k = 0; k < this.parts.length; k++) {
        const part = this.parts[k] as Part;
        out[k] = typeof part === 'string' ? part : 'open' in part ? '(' : `(?:\\${jsIndex.get(part.ref) as number})`;
      }
      source = out.join('');
    }
    // Like PCRE's implicit anchoring: when every top-level alternative starts with a bare
    // "any byte" star, a match at any offset implies one at offset 0, so anchoring changes
    // no result but saves the quadratic retry at every start offset.
    const dotStar = this.rootAlternatives.every((i) => this.parts[i] === '[\\s\\S]' && (this.parts[i + 1] === '*' || this.parts[i + 1] === '*?'));
    if (dotStar && this.parts.length > 0) source = `^(?:${source})`;
    const groupMap: number[] = [0];
    for (let g = 1; g <= this.groupId; g++) groupMap.push(jsIndex.get(g) as number);
    const root = this.frames[0] as Frame;
    const clauses = mergeAlternatives([...root.alts, root.seq])
      .filter((c) => c.weight > 0 && c.members.length < 256)
      .sort((a, b) => a.weight - b.weight);
    const required = clauses.filter((c) => c.weight <= MAX_CLAUSE_WEIGHT).slice(0, 2).map((c) => c.set);
    const screenSets = required.length > 0 ? required : clauses.slice(0, 2).map((c) => c.set);
    const literals = prefilterLiterals(alternativesOf([...root.litAlts, sequenceOf(root.lits)]));
    return { source, groupMap, groupCount: this.groupId, required, screenSets, literals };
  }
}

/** Translates a PCRE pattern (a byte string) to an equivalent JS RegExp source. */
export function translatePcre(pattern: string): TranslatedPattern {
  return new Translator(pattern).translate();
}

/** The required literal factors of a pattern, unfiltered (for tests and measurements). */
export function literalFactors(pattern: string): Literals {
  return new Translator(pattern).literals();
}
