/**
 * setrsc (non-disruptive)
 * Description: binds the RESOURCE collection to a key. Accepted; no effect (collections live for one transaction).
 * Arguments: as ModSecurity; macros are validated at load.
 * Example: SecAction "id:1,pass,setrsc:%{REQUEST_FILENAME}"
 */
import type { ActionDefinition } from './types.ts';

export const setrsc: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    if (argument !== undefined) ctx.compileMacro(argument);
  },
};
