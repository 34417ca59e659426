/**
 * t:jsDecode
 *
 * Description: Decodes JavaScript escapes as ModSecurity v2: `\uHHHH` (low byte
 * only, full-width ASCII U+FF01..U+FF5E folded to ASCII), `\xHH`, octal `\OOO`
 * (at most one byte: a third digit is used only when the first is 0-3), the
 * C escapes `\a \b \f \n \r \t \v`, and `\C` for any other C (the backslash is
 * dropped). A lone trailing backslash is kept.
 * Arguments: none.
 * Example: SecRule ARGS "@rx alert\(" "id:1,phase:2,t:none,t:jsDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, isHex, isOctal, x2c } from './bytes.ts';

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

export const jsDecode: Transformation = (input) => {
  let i = input.indexOf('\\');
  if (i === -1) return input;
  const n = input.length;
  // `out` + input[start..] is the result; the prefix before `i` is copied with the first change.
  let out = '';
  let start = 0;
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c) { i++; continue; }
    const next = input.charCodeAt(i + 1);
    let byte: string;
    let used: number;
    if (i + 5 < n && next === 0x75 && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))
      && isHex(input.charCodeAt(i + 4)) && isHex(input.charCodeAt(i + 5))) {
      let b = x2c(input.charCodeAt(i + 4), input.charCodeAt(i + 5));
      if (b > 0x00 && b < 0x5f && (input.charCodeAt(i + 2) | 0x20) === 0x66 && (input.charCodeAt(i + 3) | 0x20) === 0x66) {
        b += 0x20;
      }
      byte = CHR[b] as string;
      used = 6;
    } else if (i + 3 < n && next === 0x78 && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
      byte = CHR[x2c(input.charCodeAt(i + 2), input.charCodeAt(i + 3))] as string;
      used = 4;
    } else if (i + 1 < n && isOctal(next)) {
      let j = 1;
      while (j < 3 && i + 1 + j < n && isOctal(input.charCodeAt(i + 1 + j))) j++;
      // Three digits only when the value fits one byte (\377 at most).
      if (j === 3 && next > 0x33) j = 2;
      byte = CHR[Number.parseInt(input.slice(i + 1, i + 1 + j), 8)] as string;
      used = 1 + j;
    } else if (i + 1 < n) {
      const ch = input[i + 1] as string;
      byte = SIMPLE[ch] ?? ch;
      used = 2;
    } else {
      break;
    }
    out += input.slice(start, i) + byte;
    i += used;
    start = i;
  }
  // A lone trailing backslash is the only one left as it is.
  return start === 0 ? input : out + input.slice(start);
};
