/**
 * t:urlDecodeUni
 *
 * Description: URL-decodes the value like t:urlDecode and also decodes IIS-style
 * `%uHHHH` escapes as ModSecurity v2 configured with the recommended
 * `SecUnicodeMapFile unicode.mapping 20127` (as the CRS reference containers
 * are): a code point in the code page 20127 best-fit table becomes its ASCII
 * byte; any other keeps only its low byte, with full-width ASCII
 * (U+FF01..U+FF5E) folded to ASCII by adding 0x20. `+` becomes a space. Invalid
 * or truncated escapes (`%zz`, `%4`, `%u12`) are kept as they are.
 * Arguments: none.
 * Example: SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:urlDecodeUni,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, indexOfEither, isHex, x2c } from './bytes.ts';
import { UNICODE_MAP_20127 } from './unicode-map-20127.ts';

export const urlDecodeUni: Transformation = (input) => {
  const first = indexOfEither(input, '%', '+');
  if (first === -1) return input;
  const n = input.length;
  // `out` + input[start..] is the result; the prefix before `first` is copied with the first change.
  let out = '';
  let start = 0;
  let i = first;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 0x2b) {
      out += input.slice(start, i) + ' ';
      start = ++i;
    } else if (c !== 0x25) {
      i++;
    } else if (i + 1 < n && (input.charCodeAt(i + 1) | 0x20) === 0x75) {
      // %uHHHH needs four hex digits; otherwise "%u" is kept and scanning resumes after it.
      if (i + 5 < n && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))
        && isHex(input.charCodeAt(i + 4)) && isHex(input.charCodeAt(i + 5))) {
        const mapped = UNICODE_MAP_20127[Number.parseInt(input.slice(i + 2, i + 6), 16)] as number;
        let b = mapped;
        if (mapped === -1) {
          b = x2c(input.charCodeAt(i + 4), input.charCodeAt(i + 5));
          const fullWidth = (input.charCodeAt(i + 2) | 0x20) === 0x66 && (input.charCodeAt(i + 3) | 0x20) === 0x66;
          if (fullWidth && b > 0x00 && b < 0x5f) b += 0x20;
        }
        out += input.slice(start, i) + CHR[b];
        i += 6;
        start = i;
      } else {
        i += 2;
      }
    } else if (i + 2 < n && isHex(input.charCodeAt(i + 1)) && isHex(input.charCodeAt(i + 2))) {
      out += input.slice(start, i) + CHR[x2c(input.charCodeAt(i + 1), input.charCodeAt(i + 2))];
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  // Only `+` and valid escapes move `start`: '%' alone or a bad escape leaves the input as it was.
  return start === 0 ? input : out + input.slice(start);
};
