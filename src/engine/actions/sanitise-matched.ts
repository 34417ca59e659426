/**
 * sanitise-matched (non-disruptive)
 * Description: masks the matched variable in the audit log. Accepted; no effect (picket's audit log records no request data).
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecRule ARGS:pwd "@rx ." "id:1,pass,sanitiseMatched"
 */
import type { ActionDefinition } from './types.ts';

export const sanitiseMatched: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
