/**
 * t:htmlEntityDecode
 *
 * Description: Decodes HTML entities as ModSecurity v2 does: `&#DDD;`, `&#xHH;`
 * (the semicolon is optional; only the low byte of the number is kept, and a
 * number past the C `long` range gives 0xFF like strtol's saturation), and the
 * named entities `&quot; &amp; &lt; &gt; &nbsp;` (case-insensitive, semicolon
 * optional; `&nbsp;` becomes byte 0xA0). Other names are left as they are.
 * Arguments: none.
 * Example: SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:htmlEntityDecode,deny"
 */
import type { Transformation } from './types.ts';
import { CHR, isAlnum, isDigit, isHex } from './bytes.ts';

const LONG_MAX = 0x7fffffffffffffffn;

/** strtol(digits, base) cast to unsigned char: the low byte, or 0xFF on overflow. */
function entityByte(input: string, from: number, to: number, base: 10 | 16): number {
  if (to - from <= 13) {
    return Number.parseInt(input.slice(from, to), base) & 0xff;
  }
  const text = input.slice(from, to);
  const value = BigInt(base === 16 ? `0x${text}` : text);
  return value > LONG_MAX ? 0xff : Number(value & 0xffn);
}

function namedEntity(name: string): number {
  switch (name.toLowerCase()) {
    case 'quot': return 0x22;
    case 'amp': return 0x26;
    case 'lt': return 0x3c;
    case 'gt': return 0x3e;
    case 'nbsp': return 0xa0;
    default: return -1;
  }
}

export const htmlEntityDecode: Transformation = (input) => {
  let i = input.indexOf('&');
  if (i === -1) return input;
  const n = input.length;
  // `out` + input[start..] is the result; the prefix before `i` is copied with the first change.
  let out = '';
  let start = 0;
  while (i < n) {
    if (input.charCodeAt(i) !== 0x26 || i + 1 >= n) {
      i++;
      continue;
    }
    let j = i + 1;
    let decoded = -1;
    if (input.charCodeAt(j) === 0x23) {
      if (j + 1 >= n) { i += 2; continue; }
      j++;
      if ((input.charCodeAt(j) | 0x20) === 0x78) {
        if (j + 1 >= n) { i += 3; continue; }
        const k = ++j;
        while (j < n && isHex(input.charCodeAt(j))) j++;
        if (j === k) { i += 3; continue; }
        decoded = entityByte(input, k, j, 16);
      } else {
        const k = j;
        while (j < n && isDigit(input.charCodeAt(j))) j++;
        if (j === k) { i += 2; continue; }
        decoded = entityByte(input, k, j, 10);
      }
    } else {
      const k = j;
      while (j < n && isAlnum(input.charCodeAt(j))) j++;
      if (j === k) { i++; continue; }
      decoded = namedEntity(input.slice(k, j));
      // Unknown names are copied with the ampersand; scanning resumes after the name.
      if (decoded === -1) { i = j; continue; }
    }
    out += input.slice(start, i) + CHR[decoded];
    i = j < n && input.charCodeAt(j) === 0x3b ? j + 1 : j;
    start = i;
  }
  // Only a decoded entity moves `start`: without one the input comes back as it was.
  return start === 0 ? input : out + input.slice(start);
};
