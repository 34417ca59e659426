/**
 * deny (disruptive)
 * Description: stops the transaction with the rule's status (default 403).
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,phase:2,deny,status:403"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const deny: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    forbidArgument('deny', argument, ctx);
    set.disruptive = 'deny';
  },
};
