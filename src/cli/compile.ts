/**
 * Compiling rulesets for the commands and the composition root: the engine's
 * RulesetError (every error with file:line) becomes one WAF_ERR_RULES error
 * whose details are those lines. The async forms compile in slices with
 * event-loop turns between them, for reloads while requests are served.
 */
import { assembleRuleset } from '../config/ruleset.ts';
import type { RulesetInput } from '../config/ruleset.ts';
import type { RuleSource, Waf } from '../engine/api.ts';
import { RuleError, RulesetError, createWaf, createWafAsync } from '../engine/index.ts';
import { WafError } from '../errors.ts';

export function compileSources(sources: readonly RuleSource[]): Waf {
  try {
    return createWaf(sources);
  } catch (error) {
    throw rulesError(error);
  }
}

export function compileRuleset(input: RulesetInput): Waf {
  return withValueCache(compileSources(assembleRuleset(input)), input);
}

export async function compileSourcesAsync(sources: readonly RuleSource[]): Promise<Waf> {
  try {
    return await createWafAsync(sources);
  } catch (error) {
    throw rulesError(error);
  }
}

export async function compileRulesetAsync(input: RulesetInput): Promise<Waf> {
  return withValueCache(await compileSourcesAsync(assembleRuleset(input)), input);
}

/** Applies --value-cache (the engine keeps its default when the config has none). */
function withValueCache(waf: Waf, input: RulesetInput): Waf {
  if (input.limits.valueCache !== undefined) waf.setValueCacheBudget(input.limits.valueCache);
  return waf;
}

function rulesError(error: unknown): unknown {
  if (error instanceof RulesetError) {
    return new WafError('WAF_ERR_RULES', `ruleset failed to load (${error.errors.length} error${error.errors.length === 1 ? '' : 's'})`, {
      cause: error,
      details: error.errors.map((e) => e.format()),
    });
  }
  if (error instanceof RuleError) return new WafError('WAF_ERR_RULES', error.format(), { cause: error });
  return error;
}
