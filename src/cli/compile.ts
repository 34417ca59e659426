/**
 * Compiling rulesets for the commands and the composition root: the engine's
 * RulesetError (every error with file:line) becomes one WAF_ERR_RULES error
 * whose details are those lines.
 */
import { assembleRuleset } from '../config/ruleset.ts';
import type { RulesetInput } from '../config/ruleset.ts';
import type { RuleSource, Waf } from '../engine/api.ts';
import { RuleError, RulesetError, createWaf } from '../engine/index.ts';
import { WafError } from '../errors.ts';

export function compileSources(sources: readonly RuleSource[]): Waf {
  try {
    return createWaf(sources);
  } catch (error) {
    if (error instanceof RulesetError) {
      throw new WafError('WAF_ERR_RULES', `ruleset failed to load (${error.errors.length} error${error.errors.length === 1 ? '' : 's'})`, {
        cause: error,
        details: error.errors.map((e) => e.format()),
      });
    }
    if (error instanceof RuleError) throw new WafError('WAF_ERR_RULES', error.format(), { cause: error });
    throw error;
  }
}

export function compileRuleset(input: RulesetInput): Waf {
  return compileSources(assembleRuleset(input));
}
