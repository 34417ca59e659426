/**
 * `@lt`
 *
 * Description: Matches when the input, read as an integer, is less than the
 * argument. Both sides are parsed with C atoi() like ModSecurity v2, so
 * non-numeric text counts as 0 and trailing garbage is ignored.
 *
 * Arguments: an integer; may be a macro such as `%{tx.max_num_args}`.
 *
 * Example:
 *   SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:920013,phase:1,pass,skipAfter:END"
 */
import { numericOperator } from './numeric.ts';

export const lt = numericOperator((left, right) => left < right);
