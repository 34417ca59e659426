/**
 * `@validateUrlEncoding`
 *
 * Description: Matches when the input has an invalid URL encoding: a `%` not
 * followed by two hex digits, including one too close to the end
 * (ModSecurity v2 validate_url_encoding).
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule REQUEST_URI "@validateUrlEncoding" "id:920220,phase:1,block,msg:'URL Encoding Abuse Attack Attempt'"
 */
import { RuleError } from '../errors.ts';
import { isHex } from '../transformations/bytes.ts';
import type { OperatorFactory } from './types.ts';

export function invalidUrlEncoding(input: string): boolean {
  for (let i = input.indexOf('%'); i !== -1; i = input.indexOf('%', i)) {
    if (i + 2 >= input.length) return true;
    if (!isHex(input.charCodeAt(i + 1)) || !isHex(input.charCodeAt(i + 2))) return true;
    i += 3;
  }
  return false;
}

export const validateUrlEncoding: OperatorFactory = (argument, context) => {
  if (argument.trim() !== '') throw new RuleError('@validateUrlEncoding takes no argument', context.file, context.line);
  return { match: (input) => invalidUrlEncoding(input) };
};
