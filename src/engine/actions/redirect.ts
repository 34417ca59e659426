/**
 * redirect (disruptive)
 * Description: answers with a redirect to the URL (status 302 unless status: gives 301/302/303/307).
 * Arguments: a URL; macros are expanded at match time.
 * Example: SecRule ARGS "@rx x" "id:1,phase:2,redirect:https://example.com/blocked"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const redirect: ActionDefinition = {
  kind: 'disruptive',
  apply(set, argument, ctx) {
    set.disruptive = 'redirect';
    set.redirectUrl = ctx.compileMacro(requireArgument('redirect', argument, ctx));
  },
};
