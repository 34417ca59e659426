/**
 * auditlog (non-disruptive)
 * Description: marks the transaction relevant for the audit log.
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,pass,auditlog"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const auditlog: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    forbidArgument('auditlog', argument, ctx);
    set.auditlog = true;
  },
};
