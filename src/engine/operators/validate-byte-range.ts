/**
 * `@validateByteRange`
 *
 * Description: Matches when the input contains a byte outside the allowed
 * set (so the rule fires on bad input). An empty input does not match.
 *
 * Arguments: comma-separated byte values and ranges, 0-255 (`9,10,13,32-126`).
 * As in ModSecurity, an empty list allows no byte at all.
 *
 * Example:
 *   SecRule ARGS "@validateByteRange 1-255" "id:920270,phase:2,block,msg:'Invalid character in request (null character)'"
 */
import { RuleError } from '../errors.ts';
import { atoi } from './numeric.ts';
import { requiredByteSet } from './required-bytes.ts';
import type { OperatorFactory } from './types.ts';

export const validateByteRange: OperatorFactory = (argument, context) => {
  const allowed = new Uint8Array(256);
  const fail = (why: string): never => {
    throw new RuleError(`@validateByteRange: ${why}`, context.file, context.line);
  };
  const parts = argument.split(',').filter((p) => p !== '');
  for (const part of parts) {
    const dash = part.indexOf('-');
    // v2 reads the start with atoi() on the whole token, so "-1" is a start of -1, not a range.
    const start = atoi(part);
    const end = dash === -1 ? start : atoi(part.slice(dash + 1));
    if (start < 0 || start > 255) fail(`invalid range start value: ${start}`);
    if (end < 0 || end > 255) fail(`invalid range end value: ${end}`);
    if (start > end) fail(`invalid range: ${start}-${end}`);
    allowed.fill(1, start, end + 1);
  }
  return {
    // A match needs a byte outside the ranges (none: it never matches).
    requiredBytes: requiredByteSet((c) => allowed[c] === 0),
    match(input) {
      for (let i = 0; i < input.length; i++) {
        if (allowed[input.charCodeAt(i) & 0xff] === 0) return true;
      }
      return false;
    },
  };
};
