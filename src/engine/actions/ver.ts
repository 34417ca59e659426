/**
 * ver (metadata)
 * Description: the ruleset version the rule belongs to; logged with matches.
 * Arguments: text.
 * Example: SecRule ARGS "@rx x" "id:1,ver:'1.0'"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const ver: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.ver = requireArgument('ver', argument, ctx);
  },
};
