/**
 * nolog (non-disruptive)
 * Description: keeps the match out of the logs (implies noauditlog unless auditlog is given).
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,pass,nolog"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const nolog: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    forbidArgument('nolog', argument, ctx);
    set.log = false;
    set.auditlog = false;
  },
};
