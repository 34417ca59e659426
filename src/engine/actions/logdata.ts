/**
 * logdata (non-disruptive in ModSecurity's grouping; stored as metadata)
 * Description: extra data logged with the match; macros expanded at match time.
 * Arguments: text.
 * Example: SecRule ARGS "@rx x" "id:1,logdata:'Matched Data: %{MATCHED_VAR}'"
 */
import type { ActionDefinition } from './types.ts';

export const logdata: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.logdata = ctx.compileMacro(argument ?? '');
  },
};
