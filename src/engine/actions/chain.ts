/**
 * chain (flow)
 * Description: joins the next rule to this one; the chain matches only if every link matches.
 * Only the first rule may carry disruptive actions, phase, id and skip/skipAfter.
 * Arguments: none.
 * Example: SecRule REQUEST_METHOD "@streq POST" "id:1,deny,chain"
 *            SecRule &ARGS "@eq 0"
 */
import type { ActionDefinition } from './types.ts';
import { forbidArgument } from './argument.ts';

export const chain: ActionDefinition = {
  kind: 'flow',
  apply(set, argument, ctx) {
    forbidArgument('chain', argument, ctx);
    set.chain = true;
  },
};
