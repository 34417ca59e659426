/**
 * t:utf8toUnicode
 *
 * Description: Rewrites each multi-byte UTF-8 sequence as `%uXXXX` (lowercase
 * hex, at least four digits), as ModSecurity v2 does, so rules can match
 * Unicode evasions with plain patterns. ASCII bytes are copied. Quirks kept for
 * parity with the reference engine: a lead byte whose sequence is truncated or
 * has a bad continuation byte is dropped; overlong forms and surrogates get the
 * lead byte appended after the `%u` form; lead bytes F5-F7 are emitted before
 * being decoded; and NUL bytes are dropped (v2 writes them without advancing
 * its output pointer). Code points above U+FFFF keep all their hex digits (`%u1f600`).
 * Arguments: none.
 * Example: SecRule ARGS "@rx %u0430" "id:1,phase:2,t:none,t:utf8toUnicode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR } from './bytes.ts';

function hasHighByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}

function unicodeEscape(code: number): string {
  const hex = code.toString(16);
  return hex.length < 4 ? `%u${'0000'.slice(hex.length)}${hex}` : `%u${hex}`;
}

function isCont(s: string, i: number): boolean {
  return (s.charCodeAt(i) & 0xc0) === 0x80;
}

export const utf8toUnicode: Transformation = (input) => {
  if (!hasHighByte(input)) return input.includes('\0') ? input.replaceAll('\0', '') : input;
  const n = input.length;
  let out = '';
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 0) {
      i++;
      continue;
    }
    let len = 0;
    let d = 0;
    if ((c & 0x80) === 0) {
      out += CHR[c];
    } else if ((c & 0xe0) === 0xc0) {
      if (n - i >= 2 && isCont(input, i + 1)) {
        len = 2;
        d = ((c & 0x1f) << 6) | (input.charCodeAt(i + 1) & 0x3f);
      }
    } else if ((c & 0xf0) === 0xe0) {
      if (n - i >= 3 && isCont(input, i + 1) && isCont(input, i + 2)) {
        len = 3;
        d = ((c & 0x0f) << 12) | ((input.charCodeAt(i + 1) & 0x3f) << 6) | (input.charCodeAt(i + 2) & 0x3f);
      }
    } else if ((c & 0xf8) === 0xf0) {
      if (c >= 0xf5) out += CHR[c];
      if (n - i >= 4 && isCont(input, i + 1) && isCont(input, i + 2) && isCont(input, i + 3)) {
        len = 4;
        d = ((c & 0x07) << 18) | ((input.charCodeAt(i + 1) & 0x3f) << 12)
          | ((input.charCodeAt(i + 2) & 0x3f) << 6) | (input.charCodeAt(i + 3) & 0x3f);
      }
    } else {
      out += CHR[c];
    }
    if (len > 0) out += unicodeEscape(d);
    if (d >= 0xd800 && d <= 0xdfff) out += CHR[c];
    if ((len === 4 && d < 0x10000) || (len === 3 && d < 0x800) || (len === 2 && d < 0x80)) out += CHR[c];
    i += len > 0 ? len : 1;
  }
  return out;
};
