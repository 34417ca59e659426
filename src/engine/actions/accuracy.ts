/**
 * accuracy (metadata)
 * Description: the rule's accuracy, 1 (low) to 9 (high); informational.
 * Arguments: 1-9.
 * Example: SecRule ARGS "@rx x" "id:1,accuracy:9"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { integerArgument } from './argument.ts';

export const accuracy: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    const n = integerArgument('accuracy', argument, ctx, 1);
    if (n > 9) throw new RuleError('accuracy must be 1-9', ctx.file, ctx.line);
    set.accuracy = n;
  },
};
