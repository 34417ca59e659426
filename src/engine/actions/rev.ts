/**
 * rev (metadata)
 * Description: the rule revision the rule belongs to; logged with matches.
 * Arguments: text.
 * Example: SecRule ARGS "@rx x" "id:1,rev:'1.0'"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const rev: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.rev = requireArgument('rev', argument, ctx);
  },
};
