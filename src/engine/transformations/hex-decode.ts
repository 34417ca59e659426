/**
 * t:hexDecode
 *
 * Description: Decodes pairs of hex digits into bytes (ModSecurity v2
 * hex2bytes_inplace). Like v2 it does not validate: a non-hex digit is
 * converted with the same arithmetic as a hex letter, and an odd last digit is dropped.
 * Arguments: none.
 * Example: SecRule ARGS:data "@contains <script" "id:1,phase:2,t:none,t:hexDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, x2c } from './bytes.ts';

export const hexDecode: Transformation = (input) => {
  let out = '';
  for (let i = 0; i + 1 < input.length; i += 2) {
    out += CHR[x2c(input.charCodeAt(i), input.charCodeAt(i + 1))];
  }
  return out;
};
