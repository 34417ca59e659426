/**
 * maturity (metadata)
 * Description: the rule's maturity, 1 (low) to 9 (high); informational.
 * Arguments: 1-9.
 * Example: SecRule ARGS "@rx x" "id:1,maturity:9"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { integerArgument } from './argument.ts';

export const maturity: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    const n = integerArgument('maturity', argument, ctx, 1);
    if (n > 9) throw new RuleError('maturity must be 1-9', ctx.file, ctx.line);
    set.maturity = n;
  },
};
