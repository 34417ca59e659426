/**
 * t:urlDecode
 *
 * Description: Decodes `%HH` escapes and turns `+` into a space, as ModSecurity
 * v2's non-strict decoder: invalid or truncated escapes (`%zz`, `%4` at the end)
 * are kept verbatim rather than rejected.
 * Arguments: none.
 * Example: SecRule REQUEST_URI_RAW "@contains ../" "id:1,phase:1,t:none,t:urlDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, indexOfEither, isHex, x2c } from './bytes.ts';

export const urlDecode: Transformation = (input) => {
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
    } else if (c === 0x25 && i + 2 < n && isHex(input.charCodeAt(i + 1)) && isHex(input.charCodeAt(i + 2))) {
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
