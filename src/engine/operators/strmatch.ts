/**
 * `@strmatch`
 *
 * Description: Matches when the argument occurs anywhere in the input
 * (case-sensitive). ModSecurity uses Boyer-Moore-Horspool for it; V8's
 * String#includes is at least as fast. The argument is literal (no macros).
 *
 * Arguments: a string.
 *
 * Example:
 *   SecRule REQUEST_HEADERS:User-Agent "@strmatch WebZIP" "id:1,phase:1,deny"
 */
import { RuleError } from '../errors.ts';
import type { OperatorFactory } from './types.ts';

export const strmatch: OperatorFactory = (argument, context) => {
  if (argument.length === 0) throw new RuleError('@strmatch needs a non-empty argument', context.file, context.line);
  return { match: (input) => input.includes(argument) };
};
