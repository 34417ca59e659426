/**
 * `@noMatch`
 *
 * Description: Never matches; useful to disable a rule while keeping it loaded.
 *
 * Arguments: none.
 *
 * Example:
 *   SecRule ARGS "@noMatch" "id:1,phase:2,pass"
 */
import type { OperatorFactory } from './types.ts';

export const noMatch: OperatorFactory = () => ({ match: () => false });
