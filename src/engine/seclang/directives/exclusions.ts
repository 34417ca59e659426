/**
 * Rule exclusion and update directives, applied to the rules loaded so far:
 *
 * SecRuleRemoveById ID|FROM-TO ...       removes rules (space separated, ranges allowed)
 * SecRuleRemoveByTag REGEX               removes rules with a tag matching the regex
 * SecRuleRemoveByMsg REGEX               removes rules whose msg matches
 * SecRuleUpdateTargetById ID "TARGETS" ["REPLACED"]   adds targets (or `!VAR:key` exclusions)
 * SecRuleUpdateTargetByTag REGEX "TARGETS"            same for rules with a matching tag
 * SecRuleUpdateTargetByMsg REGEX "TARGETS"            same for rules whose msg matches
 * SecRuleUpdateActionById ID "ACTIONS"   replaces the rule's disruptive action, status,
 *                                        metadata; adds transformations and other actions
 * Example: SecRuleUpdateTargetById 942100 "!ARGS:password"
 */
import { RuleError } from '../../errors.ts';
import { idInRanges, parseIdRanges } from '../../actions/types.ts';
import type { ActionSet } from '../../actions/types.ts';
import type { Rule } from '../../rule.ts';
import type { RulesetBuilder } from '../builder.ts';
import type { Directive } from '../lexer.ts';
import { parseActions, parseTargets } from '../rule-parser.ts';
import { actionContext, addTargets, applyActionSet } from './rules.ts';
import type { DirectiveHandler } from './types.ts';

function regexArg(d: Directive, text: string): RegExp {
  try {
    return new RegExp(text, 's');
  } catch (e) {
    throw new RuleError(`${d.name}: invalid regex '${text}': ${(e as Error).message}`, d.file, d.line);
  }
}

function byIds(b: RulesetBuilder, d: Directive, text: string): Rule[] {
  const ranges = parseIdRanges(text);
  if (!ranges) throw new RuleError(`${d.name}: invalid id list '${text}'`, d.file, d.line);
  // A few single ids (CRS's 999 file has 55 such updates): look them up instead of scanning every rule.
  if (ranges.length <= 8 && ranges.every((r) => r.from === r.to)) {
    const found = new Set<Rule>();
    for (const r of ranges) {
      const rule = b.byId.get(r.from);
      if (rule !== undefined) found.add(rule);
    }
    // In load order, as the scan below returns them.
    return found.size < 2 ? [...found] : [...found].sort((x, y) => b.rules.indexOf(x) - b.rules.indexOf(y));
  }
  return [...b.rulesWithId((id) => idInRanges(id, ranges))];
}

function byTag(b: RulesetBuilder, re: RegExp): Rule[] {
  return b.rules.filter((r) => r.marker === undefined && r.tags.some((t) => re.test(t)));
}

function byMsg(b: RulesetBuilder, re: RegExp): Rule[] {
  return b.rules.filter((r) => r.marker === undefined && r.msg !== undefined && re.test(r.msg.text));
}

function remove(b: RulesetBuilder, rules: readonly Rule[]): void {
  const gone = new Set(rules);
  for (let i = b.rules.length - 1; i >= 0; i--) {
    const r = b.rules[i] as Rule;
    if (gone.has(r)) {
      b.rules.splice(i, 1);
      b.byId.delete(r.id);
    }
  }
}

function updateTargets(d: Directive, rules: readonly Rule[]): void {
  const targets = d.args[1];
  if (targets === undefined || d.args.length > 3) throw new RuleError(`${d.name} takes 2 or 3 arguments`, d.file, d.line);
  const specs = parseTargets(targets, d.file, d.line);
  for (const rule of rules) {
    const replaced = d.args[2];
    if (replaced !== undefined) {
      const old = replaced.toUpperCase();
      rule.targets = rule.targets.filter((t) => (t.key !== undefined ? `${t.variable}:${t.key}`.toUpperCase() : t.variable) !== old);
    }
    addTargets(rule, specs, d.file, d.line);
  }
}

export const exclusionDirectives: Readonly<Record<string, DirectiveHandler>> = {
  secruleremovebyid(b, d) {
    if (d.args.length === 0) throw new RuleError(`${d.name} takes at least 1 argument`, d.file, d.line);
    remove(b, byIds(b, d, d.args.join(' ')));
  },
  secruleremovebytag(b, d) {
    if (d.args.length !== 1) throw new RuleError(`${d.name} takes 1 argument`, d.file, d.line);
    remove(b, byTag(b, regexArg(d, d.args[0] ?? '')));
  },
  secruleremovebymsg(b, d) {
    if (d.args.length !== 1) throw new RuleError(`${d.name} takes 1 argument`, d.file, d.line);
    remove(b, byMsg(b, regexArg(d, d.args[0] ?? '')));
  },
  secruleupdatetargetbyid(b, d) {
    const rules = byIds(b, d, d.args[0] ?? '');
    if (rules.length === 0) throw new RuleError(`${d.name}: no rule with id ${d.args[0]} loaded before this line`, d.file, d.line);
    updateTargets(d, rules);
  },
  secruleupdatetargetbytag(b, d) {
    updateTargets(d, byTag(b, regexArg(d, d.args[0] ?? '')));
  },
  secruleupdatetargetbymsg(b, d) {
    updateTargets(d, byMsg(b, regexArg(d, d.args[0] ?? '')));
  },
  secruleupdateactionbyid(b, d) {
    if (d.args.length !== 2) throw new RuleError(`${d.name} takes 2 arguments`, d.file, d.line);
    const rules = byIds(b, d, d.args[0] ?? '');
    if (rules.length === 0) throw new RuleError(`${d.name}: no rule with id ${d.args[0]} loaded before this line`, d.file, d.line);
    const set = parseActions(d.args[1] ?? '', actionContext(b, d));
    if (set.chain) throw new RuleError(`${d.name} cannot change chain`, d.file, d.line);
    for (const rule of rules) {
      // ModSecurity v2 accepts id and phase only when they repeat the rule's own.
      if (set.id !== undefined && set.id !== rule.id) throw new RuleError(`${d.name}: rule IDs cannot be updated`, d.file, d.line);
      if (set.phase !== undefined && set.phase !== rule.phase) throw new RuleError(`${d.name}: rule phases cannot be updated`, d.file, d.line);
      updateActions(rule, set, b, d);
    }
  },
};

/** Actions ModSecurity v2 allows once per rule (cardinality ONE): a new one replaces the old. */
const SINGLE_RUNTIME_ACTIONS = new Set(['setsid', 'setuid']);

/**
 * SecRuleUpdateActionById as ModSecurity v2 merges action sets (msre_actionset_merge):
 * single-valued settings given by the update replace the rule's (msg, logdata, severity,
 * ver, rev, maturity, accuracy, status, skip, skipAfter, capture, multiMatch; the
 * disruptive group deny/drop/pass/allow/block/redirect; log/nolog; auditlog/noauditlog);
 * repeatable actions are appended (tag, setvar, ctl, setenv, ...; t: extends the chain,
 * and a t:none among them drops what came before, as anywhere in a rule).
 */
function updateActions(rule: Rule, set: ActionSet, b: RulesetBuilder, d: Directive): void {
  const keepDisruptive = set.disruptive === undefined;
  const actions = rule.actions.filter((a) => !SINGLE_RUNTIME_ACTIONS.has(a.name) || !set.actions.some((n) => n.name === a.name));
  const merged: ActionSet = {
    ...set,
    transformations: set.transformations.length === 0 ? [] : ['none', ...rule.transformations.map((n) => n.name), ...set.transformations],
    tags: [...rule.tags, ...set.tags],
    xmlns: [...[...rule.xmlns].map(([prefix, uri]) => ({ prefix, uri })), ...set.xmlns],
    actions: [...actions, ...set.actions],
    msg: set.msg ?? rule.msg,
    logdata: set.logdata ?? rule.logdata,
    severity: set.severity ?? rule.severity,
    ver: set.ver ?? rule.ver,
    rev: set.rev ?? rule.rev,
    maturity: set.maturity ?? rule.maturity,
    accuracy: set.accuracy ?? rule.accuracy,
    log: set.log ?? rule.log,
    auditlog: set.auditlog ?? rule.auditlog,
    skip: set.skip ?? rule.skip,
    skipAfter: set.skipAfter ?? rule.skipAfter,
    capture: set.capture || rule.capture,
    multiMatch: set.multiMatch || rule.multiMatch,
    disruptive: set.disruptive ?? rule.disruptiveWritten ?? rule.disruptive,
    allowScope: keepDisruptive ? rule.allowScope : set.allowScope,
    redirectUrl: set.redirectUrl ?? (keepDisruptive ? rule.redirectUrl : undefined),
    status: set.status ?? rule.status,
  };
  const keepTransformations = rule.transformations;
  // The rule's actions already start with SecDefaultAction's: do not add them twice.
  const defaults = b.defaults.get(rule.phase);
  applyActionSet(rule, merged, defaults === undefined ? undefined : { ...defaults, actions: [] }, b, d);
  if (set.transformations.length === 0) rule.transformations = keepTransformations;
}
