/**
 * `@streq`
 *
 * Description: Matches when the input equals the argument exactly (case-sensitive).
 *
 * Arguments: a string; may contain macros such as `%{TX.2}`.
 *
 * Example:
 *   SecRule REQUEST_METHOD "@streq POST" "id:1,phase:1,pass,nolog"
 */
import type { OperatorFactory } from './types.ts';
import { compileOperand } from './string-operand.ts';

export const streq: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => input === operand(state) };
};
