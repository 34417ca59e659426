/**
 * `@detectSQLi`
 *
 * Description: matches when the input is SQL injection according to
 * libinjection (tokenizing, folding and fingerprinting it under the no-quote,
 * single-quote and double-quote contexts). With the `capture` action, TX:0
 * is set to the matching fingerprint (e.g. `s&sos`).
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule ARGS "@detectSQLi" "id:942100,phase:2,t:none,t:urlDecodeUni,capture,block,\
 *     msg:'SQL Injection Attack Detected via libinjection',logdata:'Matched Data: %{TX.0}'"
 */
import { RuleError } from '../errors.ts';
import { detectSqli as libinjectionSqli } from '../libinjection/sqli.ts';
import type { MatchState, Operator, OperatorContext, OperatorFactory } from './types.ts';

export const detectSqli: OperatorFactory = (argument: string, context: OperatorContext): Operator => {
  if (argument.trim() !== '') {
    throw new RuleError(`@detectSQLi takes no argument, got "${argument}"`, context.file, context.line);
  }
  return {
    match(input: string, state: MatchState): boolean {
      const result = libinjectionSqli(input);
      if (!result.isSqli) return false;
      if (state.capture) state.setCapture(0, result.fingerprint);
      return true;
    },
  };
};
