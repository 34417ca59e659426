/**
 * Compiled `@rx` patterns shared across rules: CRS repeats patterns, and each
 * compiled RegExp is stateless (no g/y flag), so one instance serves every rule.
 */
import { PcreSyntaxError, translatePcre, type TranslatedPattern } from './pcre.ts';
import { requiredBytesOf } from './required-bytes.ts';

export interface CompiledRegex extends TranslatedPattern {
  readonly regex: RegExp;
  /**
   * False when the subject lacks what every match needs (the regex then cannot match):
   * the required literal when the pattern has a selective one, else the required bytes.
   */
  readonly mayMatch: (subject: string) => boolean;
  /** `screenSets` as Operator.requiredBytes (8 words per set), or undefined when there is none. */
  readonly screenWords: Int32Array | undefined;
}

/** Any character above 0xFF: the subject is not a byte string. Module-level so it is built once. */
const NON_BYTE = /[^\x00-\xff]/;

/** One native scan per required set: indexOf for a single byte, a one-class RegExp otherwise. */
function byteScans(required: readonly Uint8Array[]): ((subject: string) => boolean)[] {
  return required.map((set): ((subject: string) => boolean) => {
    const bytes: number[] = [];
    for (let c = 0; c < 256; c++) if (set[c]) bytes.push(c);
    if (bytes.length === 1) {
      const ch = String.fromCharCode(bytes[0] as number);
      // A char above 0xFF (not a byte string) never rules a match out.
      return (subject) => subject.includes(ch) || NON_BYTE.test(subject);
    }
    const cls = new RegExp(`[${bytes.map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('')}\\u0100-\\uffff]`);
    return (subject) => cls.test(subject);
  });
}

/**
 * The literal prefilter: does the subject hold one of the required strings,
 * compared without regard to ASCII case? A single string without letters is
 * an `includes`; otherwise one RegExp alternation of the literals, letters
 * written as `[Ss]` like the translation does (no `i` flag: V8's linear-time
 * fallback engine, picket's ReDoS guard, refuses it).
 */
function literalScan(literals: readonly string[]): (subject: string) => boolean {
  const only = literals.length === 1 ? (literals[0] as string) : undefined;
  if (only !== undefined && !/[a-z]/.test(only)) return (subject) => subject.includes(only);
  const source = literals.map((l) => l.replace(/[^0-9]/g, (ch) => CASELESS_SOURCE[ch.charCodeAt(0)] as string)).join('|');
  const alternation = new RegExp(source);
  return (subject) => alternation.test(subject);
}

/** Regex source of a folded byte: `[Aa]` for a letter, `\xHH` otherwise. */
const CASELESS_SOURCE: readonly string[] = Array.from({ length: 256 }, (_, c) =>
  c >= 0x61 && c <= 0x7a ? `[${String.fromCharCode(c - 0x20)}${String.fromCharCode(c)}]` : `\\x${c.toString(16).padStart(2, '0')}`,
);

/** Subjects from this length on get both pre-checks (measured crossover on CRS: ~200 bytes). */
const LONG_SUBJECT = 192;

const ALWAYS = (): boolean => true;

/**
 * The pre-check, chosen by what V8 does fastest (measured on CRS with request
 * values): on short subjects a single literal replaces the byte scans (one scan
 * instead of up to two) while a set of literals is not worth its alternation;
 * on long subjects the regex scan costs more than both checks together.
 * Written as one closure per shape: this call site sees every pattern, so
 * each nested call would cost a non-inlined call.
 */
function mayMatchOf(translated: TranslatedPattern): (subject: string) => boolean {
  const scans = byteScans(translated.required);
  const literals = translated.literals;
  const first = scans[0];
  const second = scans[1];
  if (literals === null) {
    if (first === undefined) return ALWAYS;
    if (second === undefined) return first;
    return (subject) => first(subject) && second(subject);
  }
  const literal = literalScan(literals);
  const bytes = (subject: string): boolean => (first === undefined || first(subject)) && (second === undefined || second(subject));
  if (literals.length === 1) return (subject) => (subject.length < LONG_SUBJECT ? literal(subject) : bytes(subject) && literal(subject));
  return (subject) => bytes(subject) && (subject.length < LONG_SUBJECT || literal(subject));
}

/** RegExp#test behind the pre-check (`mayMatch`). */
export function testRegex(compiled: CompiledRegex, subject: string): boolean {
  return compiled.mayMatch(subject) && compiled.regex.test(subject);
}

/** RegExp#exec behind the pre-check (`mayMatch`). */
export function execRegex(compiled: CompiledRegex, subject: string): RegExpExecArray | null {
  return compiled.mayMatch(subject) ? compiled.regex.exec(subject) : null;
}

const cache = new Map<string, CompiledRegex>();

/** Byte string of a pattern: characters above 0xFF (a file read as UTF-8) become their UTF-8 bytes. */
export function patternBytes(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.charCodeAt(i) > 0xff) return Buffer.from(pattern, 'utf8').toString('latin1');
  }
  return pattern;
}

/**
 * Translates and compiles a PCRE pattern, memoized by pattern text.
 * Throws PcreSyntaxError (untranslatable construct) or SyntaxError (invalid pattern).
 */
export function compileRegex(pattern: string): CompiledRegex {
  const bytes = patternBytes(pattern);
  let compiled = cache.get(bytes);
  if (!compiled) {
    compiled = compileUncached(bytes);
    cache.set(bytes, compiled);
  }
  return compiled;
}

/** Translates and compiles without touching the shared cache (run-time patterns). */
export function compileUncached(pattern: string): CompiledRegex {
  const translated = translatePcre(patternBytes(pattern));
  return { ...translated, regex: new RegExp(translated.source), mayMatch: mayMatchOf(translated), screenWords: requiredBytesOf(translated.screenSets) };
}

/** Number of distinct compiled patterns (for tests and metrics). */
export function regexCacheSize(): number {
  return cache.size;
}

export { PcreSyntaxError };
