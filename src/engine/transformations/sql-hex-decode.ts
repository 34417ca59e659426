/**
 * t:sqlHexDecode
 *
 * Description: Decodes SQL hex literals (`0x414243` becomes `ABC`) wherever they
 * occur, as ModSecurity v2 sql_hex2bytes_inplace: pairs of hex digits after
 * `0x`/`0X` are decoded, an odd last digit is kept, and `0x` without two hex
 * digits is left alone. Like v2 it works on the C string: processing stops at
 * the first NUL, including a decoded one.
 * Arguments: none.
 * Example: SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:sqlHexDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, cString, isHex, x2c } from './bytes.ts';

const PREFIX = /0[xX]/;

export const sqlHexDecode: Transformation = (raw) => {
  const input = cString(raw);
  if (!PREFIX.test(input)) return input;
  const n = input.length;
  let out = '';
  let i = 0;
  while (i < n) {
    if (input.charCodeAt(i) === 0x30 && (input.charCodeAt(i + 1) | 0x20) === 0x78
      && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
      i += 2;
      while (i + 1 < n && isHex(input.charCodeAt(i)) && isHex(input.charCodeAt(i + 1))) {
        out += CHR[x2c(input.charCodeAt(i), input.charCodeAt(i + 1))];
        i += 2;
      }
    } else {
      out += input[i];
      i++;
    }
  }
  return cString(out);
};
