/**
 * sanitise-matched-bytes (non-disruptive)
 * Description: masks matched bytes in the audit log. Accepted; no effect (picket's audit log records no request data).
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecRule ARGS "@verifyCC \d{13,16}" "id:1,pass,sanitiseMatchedBytes:0/4"
 */
import type { ActionDefinition } from './types.ts';

export const sanitiseMatchedBytes: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
