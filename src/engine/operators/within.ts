/**
 * `@within`
 *
 * Description: Matches when the input occurs anywhere in the argument
 * (case-sensitive substring test, the reverse of @contains). An empty input
 * always matches, as in ModSecurity. CRS wraps list items in separators
 * (`|GET| |POST|`) so that substrings do not match by accident.
 *
 * Arguments: a string; may contain macros.
 *
 * Example:
 *   SecRule REQUEST_METHOD "!@within %{tx.allowed_methods}" "id:911100,phase:1,block"
 */
import type { OperatorFactory } from './types.ts';
import { compileOperand } from './string-operand.ts';

export const within: OperatorFactory = (argument, context) => {
  const operand = compileOperand(argument, context);
  return { match: (input, state) => operand(state).includes(input) };
};
