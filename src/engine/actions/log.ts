/**
 * log (non-disruptive)
 * Description: records the match in the error log and the audit log.
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,pass,log"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const log: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    forbidArgument('log', argument, ctx);
    set.log = true;
  },
};
