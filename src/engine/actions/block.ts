/**
 * block (disruptive)
 * Description: applies the disruptive action of SecDefaultAction for the rule's phase.
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,phase:2,block"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const block: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    forbidArgument('block', argument, ctx);
    set.disruptive = 'block';
  },
};
