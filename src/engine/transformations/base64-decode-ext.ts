/**
 * t:base64DecodeExt
 *
 * Description: Forgiving Base64 decoding (ModSecurity v2 decode_base64_ext):
 * bytes outside the alphabet, such as `.` or whitespace, are skipped instead of
 * ending the decode; `=` is skipped, except that a lone `=` right after the
 * first character of a group makes the whole result empty. Decoding stops at a NUL.
 * Arguments: none.
 * Example: SecRule ARGS "@contains <script" "id:1,phase:2,t:none,t:base64DecodeExt,deny"
 */
import type { Transformation } from './types.ts';
import { BASE64_VALUE } from './base64-decode.ts';

export const base64DecodeExt: Transformation = (input) => {
  const bytes: number[] = [];
  let group = 0;
  let acc = 0;
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c === 0) break;
    if (c === 0x3d) {
      if (input.charCodeAt(i + 1) !== 0x3d && group % 4 === 1) return '';
      continue;
    }
    const v = BASE64_VALUE[c] as number;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    group++;
    if (group % 4 === 2) bytes.push((acc >> 4) & 0xff);
    else if (group % 4 === 3) bytes.push((acc >> 2) & 0xff);
    else if (group % 4 === 0) bytes.push(acc & 0xff);
  }
  return Buffer.from(bytes).toString('latin1');
};
