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

/** One phase's rules in load order, with where each rule's skipAfter resumes. */
export interface PhaseRules {
  readonly rules: readonly Rule[];
  /** For a rule with skipAfter at index i: the index just after its target, or rules.length when none follows. */
  readonly resumeAfter: Int32Array;
}

/** Resolves every skipAfter of a phase once, at load (a scan per match costs ~0.1 ms per CRS request). */
export function phaseRules(rules: readonly Rule[]): PhaseRules {
  const resumeAfter = new Int32Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const target = (rules[i] as Rule).skipAfter;
    if (target === undefined) continue;
    let j = i + 1;
    while (j < rules.length) {
      const r = rules[j] as Rule;
      if (r.marker !== undefined ? r.marker === target : r.idText === target) break;
      j++;
    }
    resumeAfter[i] = Math.min(j + 1, rules.length);
  }
  return { rules, resumeAfter };
}

export function runPhase(host: PhaseHost, phase: PhaseRules): void {
  const { rules, resumeAfter } = phase;
  let skip = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as Rule;
    if (rule.marker !== undefined) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (rule.removed || host.isRemoved(rule)) continue;
    const outcome = host.evaluate(rule);
    if (outcome === 'stop') return;
    if (outcome === 'match') {
      // The loop's i++ lands on the resume index.
      if (rule.skipAfter !== undefined) i = (resumeAfter[i] as number) - 1;
      else if (rule.skip > 0) skip = rule.skip;
    }
  }
}
