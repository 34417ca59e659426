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

const NEEDS_WORK = /["'\\^,;\t\r\n]| [ ,;\t\r\n/(]/;

/** Per byte: 1 deleted, 2 separator, 3 `/` or `(`, 4 A-Z, 0 kept as is. */
const CLASS = (() => {
  const t = new Uint8Array(256);
  for (const c of '"\'\\^') t[c.charCodeAt(0)] = 1;
  for (const c of ' ,;\t\r\n') t[c.charCodeAt(0)] = 2;
  t[0x2f] = 3;
  t[0x28] = 3;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 4;
  return t;
})();

let scratch = Buffer.allocUnsafe(256);

export const cmdLine: Transformation = (input) => {
  const s = cString(input);
  // Most values have nothing to delete or collapse: only lowercasing is left (often nothing).
  if (!NEEDS_WORK.test(s)) {
    const lower = lowercase(s);
    return lower === input ? input : lower;
  }
  // v2's loop, byte by byte into a reused buffer: a "space emitted" flag that deleted bytes
  // do not reset, and a space dropped again before `/` or `(`.
  const n = s.length;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  const out = scratch;
  let len = 0;
  let space = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    switch (CLASS[c & 0xff]) {
      case 1:
        break;
      case 2:
        if (!space) {
          out[len++] = 0x20;
          space = true;
        }
        break;
      case 3:
        if (space) len--;
        space = false;
        out[len++] = c;
        break;
      case 4:
        out[len++] = c | 0x20;
        space = false;
        break;
      default:
        out[len++] = c;
        space = false;
    }
  }
  return out.toString('latin1', 0, len);
};
