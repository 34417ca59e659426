/**
 * `@rx`
 *
 * Description: Matches the input against a PCRE regular expression, with
 * ModSecurity v2 semantics: the pattern runs over bytes, `.` matches any byte
 * including \n (PCRE_DOTALL), and `$` matches only at the very end
 * (PCRE_DOLLAR_ENDONLY). The pattern is translated to a JavaScript RegExp once
 * at load (see pcre.ts) and shared by every rule that uses it. Only the first
 * match is used: with `capture`, TX:0 is the whole match and TX:1..TX:9 the
 * groups up to the highest one that took part (groups below it that did not
 * take part are set to ''); like v2, nothing is captured when a group above 9 took part.
 * A pattern containing `%{...}` is expanded at run time and, as v2 does,
 * escaped with log_escape_re before it is compiled.
 *
 * Arguments: a PCRE pattern.
 *
 * Example:
 *   SecRule ARGS "@rx (?i)<script[^>]*>" "id:941110,phase:2,t:none,t:urlDecodeUni,capture,block,logdata:'%{TX.0}'"
 */
import { RuleError } from '../errors.ts';
import type { Macro } from '../macro.types.ts';
import { compileRegex, compileUncached, PcreSyntaxError, type CompiledRegex } from './regex-cache.ts';
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
  if (!state.capture) return compiled.regex.test(input);
  const m = compiled.regex.exec(input);
  if (m === null) return false;
  const { groupMap, groupCount } = compiled;
  let highest = 0;
  for (let g = groupCount; g >= 1; g--) {
    if (m[groupMap[g] as number] !== undefined) {
      highest = g;
      break;
    }
  }
  // v2 passes a 10-pair ovector: a match using a group above 9 reports no captures.
  if (highest > 9) return true;
  state.setCapture(0, m[0]);
  for (let g = 1; g <= highest; g++) state.setCapture(g, m[groupMap[g] as number] ?? '');
  return true;
}

/** ModSecurity v2 log_escape_re, applied to a macro-expanded pattern before compiling it. */
function logEscapeRe(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i] as string;
    if (':"+.][()?/'.includes(ch)) out += `\\${ch}`;
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c <= 0x1f || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Most recent run-time patterns kept per rule; bounded because macro values can come from requests. */
const DYNAMIC_CACHE_SIZE = 32;

function dynamicRx(macro: Macro): Operator {
  const recent = new Map<string, CompiledRegex | null>();
  return {
    match(input: string, state: MatchState): boolean {
      const pattern = logEscapeRe(macro.expand(state));
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
  return {
    match: (input, state) => matchRegex(compiled, input, state),
  };
};
