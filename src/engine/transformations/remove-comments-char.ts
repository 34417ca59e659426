/**
 * t:removeCommentsChar
 *
 * Description: Removes the comment markers themselves, keeping what is between
 * them: `/*`, `*\/`, `<!--`, `-->`, `--` and `#` (ModSecurity v2).
 * Arguments: none.
 * Example: SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:removeCommentsChar,deny"
 */
import type { Transformation } from './types.ts';

const MARKERS = /\/\*|\*\/|<!--|-->|--|#/g;

export const removeCommentsChar: Transformation = (input) => {
  MARKERS.lastIndex = 0;
  if (!MARKERS.test(input)) return input;
  MARKERS.lastIndex = 0;
  return input.replace(MARKERS, '');
};
