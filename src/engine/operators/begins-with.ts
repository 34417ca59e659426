/**
 * `@beginsWith`
 *
 * Description: Matches when the input starts with the argument (case-sensitive).
 * An empty argument always matches, as in ModSecurity.
 *
 * Arguments: a string; may contain macros.
 *
 * Example:
 *   SecRule REQUEST_LINE "!@beginsWith GET /" "id:1,phase:1,pass,nolog"
 */
import type { OperatorFactory } from './types.ts';
import { compileOperand } from './string-operand.ts';

export const beginsWith: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => input.startsWith(operand(state)) };
};
