/**
 * pass (disruptive)
 * Description: continues with the next rule after a match (the match is still logged).
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,pass,log"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const pass: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    forbidArgument('pass', argument, ctx);
    set.disruptive = 'pass';
  },
};
