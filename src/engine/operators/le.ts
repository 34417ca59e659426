/**
 * `@le`
 *
 * Description: Matches when the input, read as an integer, is less than or equal to the
 * argument. Both sides are parsed with C atoi() like ModSecurity v2, so
 * non-numeric text counts as 0 and trailing garbage is ignored.
 *
 * Arguments: an integer; may be a macro such as `%{tx.max_num_args}`.
 *
 * Example:
 *   SecRule REQUEST_HEADERS:Content-Length "@le 0" "id:1,phase:1,pass"
 */
import { numericOperator } from './numeric.ts';

export const le = numericOperator((left, right) => left <= right);
