/**
 * t:cssDecode
 *
 * Description: Decodes CSS 2.x escapes as ModSecurity v2: `\` followed by 1-6 hex
 * digits gives one byte made of the last two digits (one digit: its value);
 * with 4 digits, or 5-6 digits that start with zeros, full-width ASCII
 * (FF01-FF5E) is folded to ASCII. One whitespace after a hex escape is
 * consumed. `\` + newline is removed, `\` + other char gives that char, and a
 * trailing `\` is dropped.
 * Arguments: none.
 * Example: SecRule ARGS "@rx expression\(" "id:1,phase:2,t:none,t:cssDecode,t:lowercase,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, hexDigit, isHex, isSpace, x2c } from './bytes.ts';

function isF(c: number): boolean {
  return (c | 0x20) === 0x66;
}

export const cssDecode: Transformation = (input) => {
  let i = input.indexOf('\\');
  if (i === -1) return input;
  const n = input.length;
  let out = input.slice(0, i);
  let start = i;
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c) { i++; continue; }
    out += input.slice(start, i);
    i++;
    if (i >= n) { start = i; break; }
    let j = 0;
    while (j < 6 && i + j < n && isHex(input.charCodeAt(i + j))) j++;
    if (j > 0) {
      const last = j === 1 ? hexDigit(input.charCodeAt(i)) : x2c(input.charCodeAt(i + j - 2), input.charCodeAt(i + j - 1));
      let fullCheck = j === 4;
      if (j === 5) fullCheck = input.charCodeAt(i) === 0x30;
      if (j === 6) fullCheck = input.charCodeAt(i) === 0x30 && input.charCodeAt(i + 1) === 0x30;
      let b = last;
      if (fullCheck && b > 0x00 && b < 0x5f && isF(input.charCodeAt(i + j - 3)) && isF(input.charCodeAt(i + j - 4))) {
        b += 0x20;
      }
      out += CHR[b];
      if (i + j < n && isSpace(input.charCodeAt(i + j))) j++;
      i += j;
    } else if (input.charCodeAt(i) === 0x0a) {
      i++;
    } else {
      out += input[i];
      i++;
    }
    start = i;
  }
  return out + input.slice(start);
};
