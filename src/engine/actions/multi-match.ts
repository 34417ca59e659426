/**
 * multiMatch (non-disruptive)
 * Description: runs the operator on the value before transformations and again after
 * every transformation that changed it, instead of only once at the end.
 * Arguments: none.
 * Example: SecRule ARGS "@rx x" "id:1,t:urlDecode,t:lowercase,multiMatch"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const multiMatch: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    forbidArgument('multiMatch', argument, ctx);
    set.multiMatch = true;
  },
};
