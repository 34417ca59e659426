/**
 * t:uppercase
 *
 * Description: Uppercases ASCII letters a-z only (C toupper in the "C" locale);
 * bytes 0x80-0xFF are never changed.
 * Arguments: none.
 * Example: SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,t:none,t:uppercase,pass"
 */
import type { Transformation } from './types.ts';

const LOWER = /[a-z]/;
const LOWER_RUNS = /[a-z]+/g;
// Latin-1 bytes that String#toUpperCase would change (or widen) but C toupper does not.
const LATIN1_LOWER = /[\xb5\xdf-\xff]/;

export const uppercase: Transformation = (input) => {
  if (!LOWER.test(input)) return input;
  if (!LATIN1_LOWER.test(input)) return input.toUpperCase();
  return input.replace(LOWER_RUNS, (run) => run.toUpperCase());
};
