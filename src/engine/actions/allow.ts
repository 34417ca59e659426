/**
 * allow (disruptive)
 * Description: stops rule processing and lets the transaction through. Without an
 * argument the remaining phases are skipped (except logging); `allow:phase` stops only
 * the current phase; `allow:request` skips the rest of the request phases (1-2) but
 * response phases still run (ModSecurity v2).
 * Arguments: none, `phase` or `request`.
 * Example: SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8" "id:1,phase:1,allow,nolog"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';

export const allow: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    set.disruptive = 'allow';
    const a = (argument ?? '').trim().toLowerCase();
    if (a === '') set.allowScope = 'all';
    else if (a === 'phase' || a === 'request') set.allowScope = a;
    else throw new RuleError(`invalid allow argument '${argument}'`, ctx.file, ctx.line);
  },
};
