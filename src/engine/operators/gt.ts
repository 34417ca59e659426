/**
 * `@gt`
 *
 * Description: Matches when the input, read as an integer, is greater than the
 * argument. Both sides are parsed with C atoi() like ModSecurity v2, so
 * non-numeric text counts as 0 and trailing garbage is ignored.
 *
 * Arguments: an integer; may be a macro such as `%{tx.max_num_args}`.
 *
 * Example:
 *   SecRule &ARGS "@gt 255" "id:1,phase:2,deny"
 */
import { numericOperator } from './numeric.ts';

export const gt = numericOperator((left, right) => left > right);
