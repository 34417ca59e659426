/**
 * t:base64Decode
 *
 * Description: Decodes Base64 as APR's apr_base64_decode, which ModSecurity v2
 * uses: decoding stops at the first byte outside the Base64 alphabet (so `=`
 * padding or a NUL ends it), and a trailing partial group yields the bytes
 * its bits complete.
 * Arguments: none.
 * Example: SecRule REQUEST_HEADERS:Authorization "@rx ^Basic (.+)" "id:1,phase:1,capture,chain"
 *          SecRule TX:1 "@contains admin" "t:none,t:base64Decode,deny"
 */
import type { Transformation } from './types.ts';

/** Value of each byte in the standard Base64 alphabet, or -1. */
export const BASE64_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Reused output buffer: only the result string is allocated per call (transformations do not nest). */
let scratch = Buffer.allocUnsafe(256);

export const base64Decode: Transformation = (input) => {
  let valid = 0;
  while (valid < input.length && (BASE64_VALUE[input.charCodeAt(valid) & 0xff] as number) >= 0) valid++;
  // Every 4 characters give 3 bytes; fewer than 2 give none.
  const most = (valid * 3) >> 2;
  if (most === 0) return '';
  if (scratch.length < most) scratch = Buffer.allocUnsafe(Math.max(most, scratch.length * 2));
  const out = scratch;
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < valid; i++) {
    acc = ((acc << 6) | (BASE64_VALUE[input.charCodeAt(i)] as number)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.toString('latin1', 0, n);
};
