/**
 * tag (metadata)
 * Description: a category label; a rule may have many. Used by SecRuleRemoveByTag and ctl:ruleRemoveByTag.
 * Arguments: text.
 * Example: SecRule ARGS "@rx x" "id:1,tag:'attack-xss',tag:'OWASP_CRS'"
 */
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

export const tag: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    set.tags.push(requireArgument('tag', argument, ctx));
  },
};
