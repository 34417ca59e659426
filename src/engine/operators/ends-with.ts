/**
 * `@endsWith`
 *
 * Description: Matches when the input ends with the argument (case-sensitive).
 * An empty argument always matches, as in ModSecurity.
 *
 * Arguments: a string; may contain macros.
 *
 * Example:
 *   SecRule REQUEST_FILENAME "@endsWith .bak" "id:1,phase:1,deny"
 */
import type { OperatorFactory } from './types.ts';
import { compileOperand } from './string-operand.ts';

export const endsWith: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => input.endsWith(operand(state)) };
};
