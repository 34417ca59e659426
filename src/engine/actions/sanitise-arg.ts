/**
 * sanitise-arg (non-disruptive)
 * Description: masks the named argument in the audit log. Accepted; no effect: picket's audit log never records argument values.
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecAction "id:1,pass,sanitiseArg:password"
 */
import type { ActionDefinition } from './types.ts';

export const sanitiseArg: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
