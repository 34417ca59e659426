/**
 * skip (flow)
 * Description: on match, skips the next N rules (a chain counts as one) in the phase.
 * Arguments: a positive count.
 * Example: SecRule REQUEST_METHOD "@streq GET" "id:1,pass,nolog,skip:2"
 */
import type { ActionDefinition } from './types.ts';
import { integerArgument } from './argument.ts';

export const skip: ActionDefinition = {
  kind: 'flow',
  apply(set, argument, ctx) {
    set.skip = integerArgument('skip', argument, ctx, 1);
  },
};
