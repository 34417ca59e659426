/**
 * id (metadata)
 * Description: the rule's unique numeric id; required on SecRule/SecAction (not on chained rules).
 * Arguments: a positive integer.
 * Example: SecRule ARGS "@rx x" "id:100,phase:2,deny"
 */
import type { ActionDefinition } from './types.ts';
import { integerArgument } from './argument.ts';

export const id: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.id = integerArgument('id', argument, ctx, 1);
  },
};
