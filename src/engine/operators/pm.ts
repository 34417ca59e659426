/**
 * `@pm`
 *
 * Description: Phrase match: matches when any of the space-separated phrases
 * occurs in the input, ignoring ASCII case (Aho-Corasick, built at load). An
 * empty input never matches. With `capture`, TX:0 is the phrase found (as
 * written in the rule). Phrases use ModSecurity's syntax: `|HH HH|` for hex
 * bytes, `\` before `:` `;` `\` `"`.
 *
 * Arguments: phrases separated by whitespace.
 *
 * Example:
 *   SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:1,phase:1,capture,deny,logdata:'%{TX.0}'"
 */
import { RuleError } from '../errors.ts';
import { isSpace } from '../transformations/bytes.ts';
import { AhoCorasick } from './aho-corasick.ts';
import { parsePmContent } from './pm-content.ts';
import { phraseBytes } from './phrase-bytes.ts';
import type { MatchState, Operator, OperatorFactory } from './types.ts';

/** Operator.requiredBytes per automaton (automata are shared by rules with the same phrases). */
const bytesByAutomaton = new WeakMap<AhoCorasick, Int32Array | undefined>();

/** The operator shared by @pm and @pmFromFile once the phrases are known. */
export function phraseOperator(automaton: AhoCorasick): Operator {
  if (!bytesByAutomaton.has(automaton)) bytesByAutomaton.set(automaton, phraseBytes(automaton.phrases));
  const requiredBytes = bytesByAutomaton.get(automaton);
  return {
    ...(requiredBytes !== undefined ? { requiredBytes } : {}),
    match(input: string, state: MatchState): boolean {
      if (input.length === 0) return false;
      const phrase = automaton.firstMatch(input);
      if (phrase === undefined) return false;
      if (state.capture) state.setCapture(0, phrase);
      return true;
    },
  };
}

/** Splits on C-isspace runs, as v2's phrase loop does. */
export function splitPhrases(text: string): string[] {
  const phrases: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i > start) phrases.push(text.slice(start, i));
  }
  return phrases;
}

/**
 * Automata by phrase text, shared by rules with the same list (CRS repeats
 * `@pm gzip compress deflate br zstd` seven times) and across reloads.
 * Bounded: cleared when it reaches MAX_SHARED entries.
 */
const shared = new Map<string, AhoCorasick>();
const MAX_SHARED = 512;

export const pm: OperatorFactory = (argument, context) => {
  const text = parsePmContent(argument);
  let automaton = shared.get(text);
  if (automaton === undefined) {
    const phrases = splitPhrases(text);
    if (phrases.length === 0) throw new RuleError("@pm: missing parameter (no phrases)", context.file, context.line);
    automaton = new AhoCorasick(phrases);
    if (shared.size >= MAX_SHARED) shared.clear();
    shared.set(text, automaton);
  }
  return phraseOperator(automaton);
};
