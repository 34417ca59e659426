/**
 * setsid (non-disruptive)
 * Description: binds the SESSION collection to a session id. Accepted; no effect, since picket's SESSION collection lives for one transaction.
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecRule REQUEST_COOKIES:sid "@rx ." "id:1,pass,setsid:%{REQUEST_COOKIES.sid}"
 */
import type { ActionDefinition } from './types.ts';

export const setsid: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
