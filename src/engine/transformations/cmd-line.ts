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
import { CHR } from './bytes.ts';

// 0 copy (lowercased), 1 delete, 2 separator, 3 slash or parenthesis.
const CLASS = new Uint8Array(256);
for (const c of '\\"\'^') CLASS[c.charCodeAt(0)] = 1;
for (const c of ' ,;\t\r\n') CLASS[c.charCodeAt(0)] = 2;
CLASS[0x2f] = 3;
CLASS[0x28] = 3;

const LOWER: readonly string[] = CHR.map((ch, i) => (i >= 0x41 && i <= 0x5a ? String.fromCharCode(i + 0x20) : ch));

export const cmdLine: Transformation = (input) => {
  const n = input.length;
  let out = '';
  let space = false;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c === 0) break;
    switch (CLASS[c]) {
      case 1:
        break;
      case 2:
        if (!space) {
          out += ' ';
          space = true;
        }
        break;
      case 3:
        if (space) out = out.slice(0, -1);
        space = false;
        out += CHR[c];
        break;
      default:
        out += LOWER[c];
        space = false;
    }
  }
  return out === input ? input : out;
};
