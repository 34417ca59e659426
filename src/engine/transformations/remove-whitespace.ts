/**
 * t:removeWhitespace
 *
 * Description: Removes all whitespace (C isspace: space, \t, \n, \v, \f, \r,
 * plus the non-breaking space byte 0xA0, as ModSecurity v2).
 * Arguments: none.
 * Example: SecRule ARGS "@rx unionselect" "id:1,phase:2,t:none,t:lowercase,t:removeWhitespace,deny"
 */
import type { Transformation } from './types.ts';

const ANY = /[\t\n\v\f\r \xa0]/;
const ALL = /[\t\n\v\f\r \xa0]+/g;

export const removeWhitespace: Transformation = (input) => {
  if (!ANY.test(input)) return input;
  return input.replace(ALL, '');
};
