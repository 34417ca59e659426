/**
 * msg (metadata)
 * Description: the message logged when the rule matches; macros are expanded at match time.
 * Arguments: text, usually single-quoted.
 * Example: SecRule ARGS "@rx <script" "id:1,msg:'XSS in %{MATCHED_VAR_NAME}'"
 */
import type { ActionDefinition } from './types.ts';

export const msg: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.msg = ctx.compileMacro(argument ?? '');
  },
};
