/**
 * `@containsWord`
 *
 * Description: Matches when the argument occurs in the input as a whole word:
 * the bytes around the occurrence are not ASCII letters, digits or `_`
 * (case-sensitive). An empty argument always matches, as in ModSecurity.
 *
 * Arguments: a string; may contain macros.
 *
 * Example:
 *   SecRule ARGS "@containsWord select" "id:1,phase:2,t:lowercase,deny"
 */
import type { OperatorFactory } from './types.ts';
import { isAlnum } from '../transformations/bytes.ts';
import { compileOperand } from './string-operand.ts';

function isWordByte(c: number): boolean {
  return isAlnum(c) || c === 0x5f;
}

export function containsWordIn(input: string, word: string): boolean {
  if (word.length === 0) return true;
  for (let at = input.indexOf(word); at !== -1; at = input.indexOf(word, at + 1)) {
    const before = at === 0 || !isWordByte(input.charCodeAt(at - 1));
    const end = at + word.length;
    const after = end === input.length || !isWordByte(input.charCodeAt(end));
    if (before && after) return true;
  }
  return false;
}

export const containsWord: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => containsWordIn(input, operand(state)) };
};
