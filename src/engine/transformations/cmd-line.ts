/**
 * t:cmdLine
 *
 * Description: Normalises a command line against shell evasions, as ModSecurity
 * v2: deletes `\ " ' ^`; turns each run of space, tab, CR, LF, `,` and `;` into
 * one space; drops a space before `/` or `(`; lowercases ASCII letters. Like v2,
 * it stops at the first NUL byte.
 * Arguments: none.
 * Example: SecRule ARGS "@rx \bcmd/c" "id:1,phase:2,t:none,t:cmdLine,deny"
 */
import type { Transformation } from './types.ts';
import { cString } from './bytes.ts';
import { lowercase } from './lowercase.ts';

// v2 runs one pass with a "space emitted" flag that deleted characters do not
// reset, so deleting first and then collapsing separators gives the same result.
const DELETED = /["'\\^]+/g;
const SEPARATORS = /[ ,;\t\r\n]+/g;
const SPACE_BEFORE = / (?=[/(])/g;
const NEEDS_WORK = /["'\\^,;\t\r\n]| [ ,;\t\r\n/(]/;

export const cmdLine: Transformation = (input) => {
  let s = cString(input);
  if (NEEDS_WORK.test(s)) {
    s = s.replace(DELETED, '').replace(SEPARATORS, ' ').replace(SPACE_BEFORE, '');
  }
  s = lowercase(s);
  return s === input ? input : s;
};
