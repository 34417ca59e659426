/**
 * t:trimRight
 *
 * Description: Removes trailing whitespace (C isspace: space, \t, \n, \v, \f, \r;
 * not 0xA0).
 * Arguments: none.
 * Example: SecRule ARGS "@endsWith --" "id:1,phase:2,t:none,t:trimRight,deny"
 */
import type { Transformation } from './types.ts';
import { isSpace } from './bytes.ts';

export const trimRight: Transformation = (input) => {
  let end = input.length;
  while (end > 0 && isSpace(input.charCodeAt(end - 1))) end--;
  return end === input.length ? input : input.slice(0, end);
};
