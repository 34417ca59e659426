/**
 * `@rx`
 *
 * Description: Matches the input against a PCRE regular expression, with
 * ModSecurity v2 semantics: the pattern runs over bytes, `.` matches any byte
 * including \n (PCRE_DOTALL), and `$` matches only at the very end
 * (PCRE_DOLLAR_ENDONLY). The pattern is translated to a JavaScript RegExp once
 * at load (see pcre.ts) and shared by every rule that uses it; a subject that
 * lacks a byte or a literal every match needs is rejected without running it
 * (see regex-cache.ts and literal-factors.ts). Only the first
 * match is used: with `capture`, TX:0 is the whole match and TX:1..TX:9 the
 * groups up to the highest one that took part (groups below it that did not
 * take part are set to ''). ModSecurity v2 built with PCRE2 (as the CRS
 * reference image) captures nothing when a group above 14 took part; picket's
 * capture contract stops at TX:9, so groups 10-14 are not written.
 * A pattern containing `%{...}` is expanded and compiled at run time, as v2 does.
 *
 * Arguments: a PCRE pattern.
 *
 * Example:
 *   SecRule ARGS "@rx (?i)<script[^>]*>" "id:941110,phase:2,t:none,t:urlDecodeUni,capture,block,logdata:'%{TX.0}'"
 */
import { RuleError } from '../errors.ts';
import type { Macro } from '../macro.types.ts';
import { compileRegex, compileUncached, execRegex, PcreSyntaxError, testRegex, type CompiledRegex } from './regex-cache.ts';
import type { MatchState, Operator, OperatorContext, OperatorFactory } from './types.ts';

function compileOrThrow(pattern: string, context: OperatorContext): CompiledRegex {
  try {
    return compileRegex(pattern);
  } catch (e) {
    const why = e instanceof PcreSyntaxError ? e.message : `invalid pattern: ${(e as Error).message}`;
    throw new RuleError(`@rx: ${why}`, context.file, context.line);
  }
}

/** Runs the regex once and writes TX:0..9 as ModSecurity v2 does. */
export function matchRegex(compiled: CompiledRegex, input: string, state: MatchState): boolean {
  if (!state.capture) return testRegex(compiled, input);
  const m = execRegex(compiled, input);
  if (m === null) return false;
  const { groupMap, groupCount } = compiled;
  let highest = 0;
  for (let g = groupCount; g >= 1; g--) {
    if (m[groupMap[g] as number] !== undefined) {
      highest = g;
      break;
    }
  }
  // v2 passes a 30-int ovector: with PCRE2, a match using a group above 14 reports no captures.
  if (highest > 14) return true;
  state.setCapture(0, m[0]);
  const last = highest < 9 ? highest : 9;
  for (let g = 1; g <= last; g++) state.setCapture(g, m[groupMap[g] as number] ?? '');
  return true;
}

/** Most recent run-time patterns kept per rule; bounded because macro values can come from requests. */
const DYNAMIC_CACHE_SIZE = 32;

function dynamicRx(macro: Macro): Operator {
  const recent = new Map<string, CompiledRegex | null>();
  return {
    match(input: string, state: MatchState): boolean {
      const pattern = macro.expand(state);
      let compiled = recent.get(pattern);
      if (compiled === undefined) {
        try {
          compiled = compileUncached(pattern);
        } catch {
          compiled = null; // v2 logs the compile error and reports no match
        }
        if (recent.size >= DYNAMIC_CACHE_SIZE) recent.delete(recent.keys().next().value as string);
        recent.set(pattern, compiled);
      }
      return compiled !== null && matchRegex(compiled, input, state);
    },
  };
}

export const rx: OperatorFactory = (argument, context) => {
  if (argument.includes('%{')) {
    const macro = context.compileMacro(argument);
    if (!macro.isConstant) return dynamicRx(macro);
  }
  const compiled = compileOrThrow(argument, context);
  const match = (input: string, state: MatchState): boolean => matchRegex(compiled, input, state);
  return compiled.screenWords === undefined ? { match } : { match, requiredBytes: compiled.screenWords };
};
