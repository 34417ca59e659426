/**
 * status (data)
 * Description: the HTTP status used by deny (and redirect when 3xx).
 * Arguments: a status code 100-599.
 * Example: SecRule ARGS "@rx x" "id:1,deny,status:406"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { integerArgument } from './argument.ts';

export const status: ActionDefinition = {
  kind: 'data',
  apply(set, argument, ctx) {
    const n = integerArgument('status', argument, ctx);
    if (n < 100 || n > 599) throw new RuleError(`invalid status ${n}`, ctx.file, ctx.line);
    set.status = n;
  },
};
