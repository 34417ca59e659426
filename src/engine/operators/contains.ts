/**
 * `@contains`
 *
 * Description: Matches when the argument occurs anywhere in the input
 * (case-sensitive). An empty argument always matches, as in ModSecurity.
 *
 * Arguments: a string; may contain macros.
 *
 * Example:
 *   SecRule REQUEST_LINE "@contains .php" "id:1,phase:1,pass,nolog"
 */
import type { OperatorFactory } from './types.ts';
import { compileOperand } from './string-operand.ts';

export const contains: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => input.includes(operand(state)) };
};
