/**
 * setuid (non-disruptive)
 * Description: binds the USER collection to an id. Accepted; no effect, since picket's USER collection lives for one transaction.
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecRule ARGS:user "@rx ." "id:1,pass,setuid:%{ARGS.user}"
 */
import type { ActionDefinition } from './types.ts';

export const setuid: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
