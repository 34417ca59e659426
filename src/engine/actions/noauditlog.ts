/**
 * noauditlog (non-disruptive)
 * Description: keeps the match from making the transaction audit-relevant.
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,pass,noauditlog"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const noauditlog: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    forbidArgument('noauditlog', argument, ctx);
    set.auditlog = false;
  },
};
