/**
 * URLENCODED body processor (and the query-string parser behind ARGS_GET).
 *
 * Description: splits `application/x-www-form-urlencoded` text into arguments
 * the way ModSecurity v2's `parse_arguments()` does:
 * - pairs are separated by `separator` (SecArgumentSeparator, default `&`);
 * - the first `=` splits name from value, later ones belong to the value;
 * - a pair without `=` is a name with value '';
 * - empty pairs are kept: `a=1&&b=2` yields an argument with an empty name,
 *   but a single trailing separator adds nothing;
 * - names and values are url-decoded non-strictly: `%XX` with two hex digits
 *   becomes the byte, `+` becomes a space, any other `%` is kept as is and
 *   counted as an invalid encoding (URLENCODED_ERROR);
 * - repeated names are all kept, in order.
 *
 * Arguments: `body` a byte string (one char per byte), `separator` a single char.
 *
 * Example: `parseUrlencoded('a=1&b=%zz+x&c')` gives
 * `[{a,'1'}, {b,'%zz x'}, {c,''}]` with `invalidEncoding: true`.
 */
import type { ArgPair } from './types.ts';

export interface UrlencodedResult {
  readonly args: ArgPair[];
  /** At least one `%` was not followed by two hex digits (URLENCODED_ERROR). */
  readonly invalidEncoding: boolean;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Result of decoding one name or value: the text and how many `%` were invalid. */
interface Decoded {
  readonly text: string;
  readonly invalid: number;
}

/**
 * ModSecurity's non-strict url decoding (`urldecode_nonstrict_inplace_ex`):
 * `%XX` decoded, `+` to space, an invalid or truncated `%` kept literally.
 */
export function urlDecodeNonStrict(input: string): Decoded {
  if (input.indexOf('%') === -1 && input.indexOf('+') === -1) return { text: input, invalid: 0 };
  let out = '';
  let invalid = 0;
  let start = 0;
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x25 /* % */) {
      if (i + 2 < n) {
        const hi = hexValue(input.charCodeAt(i + 1));
        const lo = hexValue(input.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          out += input.slice(start, i) + String.fromCharCode(hi * 16 + lo);
          i += 2;
          start = i + 1;
          continue;
        }
      }
      invalid++;
    } else if (c === 0x2b /* + */) {
      out += input.slice(start, i) + ' ';
      start = i + 1;
    }
  }
  return { text: out + input.slice(start), invalid };
}

export function parseUrlencoded(body: string, separator = '&'): UrlencodedResult {
  const args: ArgPair[] = [];
  let invalid = 0;
  const n = body.length;
  let i = 0;
  while (i < n) {
    // The name runs to the first '=' or separator.
    let end = i;
    while (end < n && body[end] !== '=' && body[end] !== separator) end++;
    const name = urlDecodeNonStrict(body.slice(i, end));
    invalid += name.invalid;
    if (end >= n || body[end] === separator) {
      args.push({ name: name.text, value: '' });
      i = end + 1;
      continue;
    }
    // body[end] is '=': the value runs to the next separator ('=' included).
    const valueStart = end + 1;
    let valueEnd = body.indexOf(separator, valueStart);
    if (valueEnd === -1) valueEnd = n;
    const value = urlDecodeNonStrict(body.slice(valueStart, valueEnd));
    invalid += value.invalid;
    args.push({ name: name.text, value: value.text });
    i = valueEnd + 1;
  }
  return { args, invalidEncoding: invalid > 0 };
}
