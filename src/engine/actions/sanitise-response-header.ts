/**
 * sanitise-response-header (non-disruptive)
 * Description: masks a response header in the audit log. Accepted; no effect (picket's audit log redacts headers itself).
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecAction "id:1,pass,sanitiseResponseHeader:Set-Cookie"
 */
import type { ActionDefinition } from './types.ts';

export const sanitiseResponseHeader: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
