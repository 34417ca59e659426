/**
 * t:lowercase
 *
 * Description: Lowercases ASCII letters A-Z only (C tolower in the "C" locale,
 * as ModSecurity): bytes 0x80-0xFF are never changed.
 * Arguments: none.
 * Example: SecRule ARGS "@contains select" "id:1,phase:2,t:none,t:lowercase,deny"
 */
import type { Transformation } from './types.ts';

const UPPER = /[A-Z]/;
const UPPER_RUNS = /[A-Z]+/g;
// Latin-1 letters that String#toLowerCase would change but C tolower does not.
const LATIN1_UPPER = /[\xc0-\xde]/;

export const lowercase: Transformation = (input) => {
  if (!UPPER.test(input)) return input;
  if (!LATIN1_UPPER.test(input)) return input.toLowerCase();
  return input.replace(UPPER_RUNS, (run) => run.toLowerCase());
};
