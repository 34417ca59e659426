/**
 * sanitise-request-header (non-disruptive)
 * Description: masks a request header in the audit log. Accepted; no effect (picket's audit log redacts headers itself).
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecAction "id:1,pass,sanitiseRequestHeader:Authorization"
 */
import type { ActionDefinition } from './types.ts';

export const sanitiseRequestHeader: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
