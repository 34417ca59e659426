/**
 * `@ge`
 *
 * Description: Matches when the input, read as an integer, is greater than or equal to the
 * argument. Both sides are parsed with C atoi() like ModSecurity v2, so
 * non-numeric text counts as 0 and trailing garbage is ignored.
 *
 * Arguments: an integer; may be a macro such as `%{tx.max_num_args}`.
 *
 * Example:
 *   SecRule TX:ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949110,phase:2,deny"
 */
import { numericOperator } from './numeric.ts';

export const ge = numericOperator((left, right) => left >= right);
