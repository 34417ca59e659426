/**
 * drop (disruptive)
 * Description: closes the connection (reported as a drop interruption, status 444 unless given).
 * Arguments: none.
 * Example: SecRule REMOTE_ADDR "@ipMatch 10.0.0.1" "id:1,phase:1,drop"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const drop: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    forbidArgument('drop', argument, ctx);
    set.disruptive = 'drop';
  },
};
