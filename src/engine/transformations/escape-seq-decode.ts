/**
 * t:escapeSeqDecode
 *
 * Description: Decodes ANSI C escape sequences as ModSecurity v2:
 * `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH` (exactly two hex digits) and octal
 * `\O` .. `\OOO` (the value is truncated to one byte). A backslash before any
 * other character, including an invalid `\x`, is dropped and the character kept.
 * Arguments: none.
 * Example: SecRule ARGS "@rx /etc/passwd" "id:1,phase:2,t:none,t:escapeSeqDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, isHex, isOctal, x2c } from './bytes.ts';

const SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '?': '?', "'": "'", '"': '"',
};

export const escapeSeqDecode: Transformation = (input) => {
  let i = input.indexOf('\\');
  if (i === -1) return input;
  const n = input.length;
  // `out` + input[start..] is the result; the prefix before `i` is copied with the first change.
  let out = '';
  let start = 0;
  while (i < n) {
    if (input.charCodeAt(i) !== 0x5c || i + 1 >= n) { i++; continue; }
    const ch = input[i + 1] as string;
    const next = input.charCodeAt(i + 1);
    out += input.slice(start, i);
    const simple = SIMPLE[ch];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if ((next | 0x20) === 0x78 && i + 3 < n && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
      out += CHR[x2c(input.charCodeAt(i + 2), input.charCodeAt(i + 3))];
      i += 4;
    } else if (isOctal(next)) {
      let j = 1;
      while (j < 3 && i + 1 + j < n && isOctal(input.charCodeAt(i + 1 + j))) j++;
      out += CHR[Number.parseInt(input.slice(i + 1, i + 1 + j), 8) & 0xff];
      i += 1 + j;
    } else {
      out += ch;
      i += 2;
    }
    start = i;
  }
  // A lone trailing backslash is the only one left as it is.
  return start === 0 ? input : out + input.slice(start);
};
