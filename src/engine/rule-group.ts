/**
 * The phase loop (ModSecurity v2's msre_ruleset_process_phase): runs the rules
 * of one phase in order and applies flow control.
 *
 * - rules removed by SecRuleRemoveBy* or ctl:ruleRemove* are passed over;
 * - `skip:N` passes over the next N rules (a chain counts once, markers do not count);
 * - `skipAfter:X` passes over everything up to the SecMarker X (or the rule with id X)
 *   and resumes after it; when X does not follow, the rest of the phase is skipped;
 * - a disruptive interruption (On mode) or an `allow` stops the phase.
 */
import type { Rule } from './rule.ts';

export type RuleOutcome = 'no-match' | 'match' | 'stop';

export interface PhaseHost {
  isRemoved(rule: Rule): boolean;
  evaluate(rule: Rule): RuleOutcome;
}

export function runPhase(host: PhaseHost, rules: readonly Rule[]): void {
  let skip = 0;
  let skipAfter: string | undefined;
  for (const rule of rules) {
    if (skipAfter !== undefined) {
      if (rule.marker !== undefined ? rule.marker === skipAfter : rule.idText === skipAfter) skipAfter = undefined;
      continue;
    }
    if (rule.marker !== undefined) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (rule.removed || host.isRemoved(rule)) continue;
    const outcome = host.evaluate(rule);
    if (outcome === 'stop') return;
    if (outcome === 'match') {
      if (rule.skipAfter !== undefined) skipAfter = rule.skipAfter;
      else if (rule.skip > 0) skip = rule.skip;
    }
  }
}
