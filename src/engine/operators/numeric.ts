/**
 * Shared by @eq, @ge, @gt, @le and @lt: both sides are read with C atoi(), as
 * ModSecurity v2 does (leading whitespace, optional sign, digits up to the first
 * other byte; no digits gives 0). Out-of-range values follow glibc: strtol
 * saturates to the 64-bit long range and the cast to int keeps the low 32 bits.
 */
import type { MacroSource } from '../macro.types.ts';
import { isSpace } from '../transformations/bytes.ts';
import type { Operator, OperatorContext, OperatorFactory } from './types.ts';

const LONG_MAX = 0x7fffffffffffffffn;
const LONG_MIN = -0x8000000000000000n;

/** C atoi() on a byte string. */
export function atoi(text: string): number {
  let i = 0;
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  const start = i;
  while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  if (i === start) return 0;
  const digits = text.slice(start, i);
  if (digits.length <= 15) {
    const v = Number(digits);
    return (negative ? -v : v) | 0;
  }
  let v = BigInt(digits);
  if (negative) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return Number(BigInt.asIntN(32, v));
}

export function numericOperator(compare: (left: number, right: number) => boolean): OperatorFactory {
  return (argument: string, context: OperatorContext): Operator => {
    const macro = context.compileMacro(argument);
    if (macro.isConstant) {
      const right = atoi(macro.text);
      return { match: (input) => compare(atoi(input), right) };
    }
    return { match: (input, state: MacroSource) => compare(atoi(input), atoi(macro.expand(state))) };
  };
}
