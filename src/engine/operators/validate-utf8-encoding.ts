/**
 * `@validateUtf8Encoding`
 *
 * Description: Matches when the input is not valid UTF-8, with ModSecurity v2's
 * checks: a sequence cut short, a bad continuation byte, an invalid lead byte
 * (0x80-0xBF, 0xF8-0xFF), a lead byte above 0xF4, an overlong form, or a
 * UTF-16 surrogate (U+D800-U+DFFF).
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule ARGS "@validateUtf8Encoding" "id:920250,phase:2,block,msg:'UTF8 Encoding Abuse Attack Attempt'"
 */
import { RuleError } from '../errors.ts';
import { requiredByteSet } from './required-bytes.ts';
import type { OperatorFactory } from './types.ts';

/** Bytes below 0x80 are each a whole valid character: an invalid input holds a byte from 0x80 up. */
const HIGH_BYTES = requiredByteSet((c) => c >= 0x80);

function cont(s: string, i: number): boolean {
  return (s.charCodeAt(i) & 0xc0) === 0x80;
}

/** Length of the valid UTF-8 character at `i`, or 0 when it is invalid. */
function utf8Length(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const left = s.length - i;
  if ((c & 0x80) === 0) return 1;
  let len: number;
  let d: number;
  if ((c & 0xe0) === 0xc0) {
    if (left < 2 || !cont(s, i + 1)) return 0;
    len = 2;
    d = ((c & 0x1f) << 6) | (s.charCodeAt(i + 1) & 0x3f);
    if (d < 0x80) return 0;
  } else if ((c & 0xf0) === 0xe0) {
    if (left < 3 || !cont(s, i + 1) || !cont(s, i + 2)) return 0;
    len = 3;
    d = ((c & 0x0f) << 12) | ((s.charCodeAt(i + 1) & 0x3f) << 6) | (s.charCodeAt(i + 2) & 0x3f);
    if (d < 0x800) return 0;
  } else if ((c & 0xf8) === 0xf0) {
    if (c >= 0xf5) return 0;
    if (left < 4 || !cont(s, i + 1) || !cont(s, i + 2) || !cont(s, i + 3)) return 0;
    len = 4;
    d = ((c & 0x07) << 18) | ((s.charCodeAt(i + 1) & 0x3f) << 12) | ((s.charCodeAt(i + 2) & 0x3f) << 6) | (s.charCodeAt(i + 3) & 0x3f);
    if (d < 0x10000) return 0;
  } else {
    return 0;
  }
  if (d >= 0xd800 && d <= 0xdfff) return 0;
  return len;
}

export function invalidUtf8(input: string): boolean {
  for (let i = 0; i < input.length;) {
    const len = utf8Length(input, i);
    if (len === 0) return true;
    i += len;
  }
  return false;
}

export const validateUtf8Encoding: OperatorFactory = (argument, context) => {
  if (argument.trim() !== '') throw new RuleError('@validateUtf8Encoding takes no argument', context.file, context.line);
  return { match: (input) => invalidUtf8(input), requiredBytes: HIGH_BYTES };
};
