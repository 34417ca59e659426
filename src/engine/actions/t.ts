/**
 * t (non-disruptive)
 * Description: adds a transformation to the rule's chain; `t:none` drops every
 * transformation before it, including those inherited from SecDefaultAction.
 * Arguments: a transformation name (checked against the registry at rule build).
 * Example: SecRule ARGS "@rx <script" "id:1,t:none,t:urlDecodeUni,t:lowercase"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const t: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    set.transformations.push(requireArgument('t', argument, ctx).trim());
  },
};
