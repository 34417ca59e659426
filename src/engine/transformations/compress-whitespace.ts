/**
 * t:compressWhitespace
 *
 * Description: Replaces every run of whitespace (C isspace: space, \t, \n, \v,
 * \f, \r, plus the non-breaking space byte 0xA0, as ModSecurity v2) with one space.
 * Arguments: none.
 * Example: SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:compressWhitespace,deny"
 */
import type { Transformation } from './types.ts';

const RUN = /[\t\n\v\f\r \xa0]{2,}|[\t\n\v\f\r\xa0]/;
const RUNS = /[\t\n\v\f\r \xa0]+/g;

export const compressWhitespace: Transformation = (input) => {
  if (!RUN.test(input)) return input;
  return input.replace(RUNS, ' ');
};
