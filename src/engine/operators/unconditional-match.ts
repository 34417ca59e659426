/**
 * `@unconditionalMatch`
 *
 * Description: Always matches (what SecAction uses implicitly).
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule REMOTE_ADDR "@unconditionalMatch" "id:1,phase:1,pass,nolog,setvar:tx.seen=1"
 */
import type { OperatorFactory } from './types.ts';

export const unconditionalMatch: OperatorFactory = () => ({ match: () => true });
