/**
 * t:trimLeft
 *
 * Description: Removes leading whitespace (C isspace: space, \t, \n, \v, \f, \r;
 * not 0xA0).
 * Arguments: none.
 * Example: SecRule ARGS "@beginsWith select" "id:1,phase:2,t:none,t:trimLeft,deny"
 */
import type { Transformation } from './types.ts';
import { isSpace } from './bytes.ts';

export const trimLeft: Transformation = (input) => {
  let i = 0;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i === 0 ? input : input.slice(i);
};
