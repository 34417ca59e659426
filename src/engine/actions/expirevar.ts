/**
 * expirevar (non-disruptive)
 * Description: sets an expiry on a persistent collection variable. picket keeps
 * collections for one transaction only (docs/seclang-support.md), so the argument is
 * validated and the action has no further effect.
 * Arguments: `collection.key=seconds`.
 * Example: SecAction "id:1,pass,nolog,expirevar:ip.blocked=60"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const expirevar: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    const text = requireArgument('expirevar', argument, ctx);
    if (text.indexOf('.') <= 0) throw new RuleError(`expirevar: missing collection in '${text}'`, ctx.file, ctx.line);
    ctx.compileMacro(text);
  },
};
