/**
 * Rule directives: SecRule, SecAction, SecMarker, SecDefaultAction.
 *
 * SecRule VARIABLES OPERATOR [ACTIONS]  a rule; `chain` links the next SecRule to it.
 * SecAction ACTIONS                     a rule that always matches once.
 * SecMarker NAME                        a placeholder skipAfter can jump past (in every phase).
 * SecDefaultAction ACTIONS              defaults for later rules of its phase (ModSecurity v2:
 *                                       transformations are prepended unless the rule has t:none,
 *                                       log/auditlog and the disruptive action fill in what the rule
 *                                       leaves unset, `block` takes the default's disruptive action).
 * Example: SecDefaultAction "phase:2,log,auditlog,deny,status:403"
 */
import { RuleError, UnsupportedError } from '../../errors.ts';
import { compileXpath } from '../../body/index.ts';
import type { XpathQuery } from '../../body/index.ts';
import type { ActionContext, ActionSet } from '../../actions/types.ts';
import { getTransformation } from '../../transformations/index.ts';
import type { Transformation } from '../../transformations/types.ts';
import { getVariable } from '../../variables/index.ts';
import { Rule } from '../../rule.ts';
import type { RulesetBuilder } from '../builder.ts';
import type { Directive } from '../lexer.ts';
import { getOperator } from '../../operators/index.ts';
import { parseActions, parseOperator, parseTargets } from '../rule-parser.ts';
import type { TargetSpec } from '../rule-parser.ts';

/** ModSecurity's built-in default: `phase:2,log,auditlog,pass`. */
function defaultsFor(builder: RulesetBuilder, phase: number): ActionSet | undefined {
  return builder.defaults.get(phase);
}

export function actionContext(builder: RulesetBuilder, d: Directive): ActionContext {
  return {
    file: d.file,
    line: d.line,
    baseDir: builder.currentDir,
    compileMacro: (text) => builder.macro(text, d.file, d.line),
  };
}

const LINK_FORBIDDEN = new Set(['id', 'phase', 'deny', 'drop', 'redirect', 'allow', 'block', 'pass', 'skip', 'skipafter', 'status']);

/** Adds the targets of `specs` to `rule` (used by SecRule and SecRuleUpdateTargetBy*). */
export function addTargets(rule: Rule, specs: readonly TargetSpec[], file: string, line: number): void {
  for (const s of specs) {
    const definition = getVariable(s.variable);
    if (definition === undefined) throw new UnsupportedError('variable', s.variable, file, line);
    if (s.negated) {
      rule.exclusions.push({ variable: s.variable, key: s.key?.toLowerCase(), keyRegex: s.keyRegex });
      continue;
    }
    let xpath: XpathQuery | undefined;
    if (s.variable === 'XML') {
      try {
        xpath = compileXpath(s.key ?? '/*');
      } catch (e) {
        throw new UnsupportedError('xpath', `${s.key ?? '/*'} (${(e as Error).message})`, file, line);
      }
    }
    // Keys are case-insensitive: lower-cased once here (XML keys are XPath and keep their case).
    const key = s.variable === 'XML' ? s.key : s.key?.toLowerCase();
    const countName = s.key !== undefined ? `&${s.variable}:${s.key}` : `&${s.variable}`;
    rule.targets.push({ variable: s.variable, definition, key, keyRegex: s.keyRegex, count: s.count, countName, xpath });
  }
}

function compile(builder: RulesetBuilder, d: Directive, targets: string | null, operator: string | null, actions: string): void {
  const ctx = actionContext(builder, d);
  const set = parseActions(actions, ctx);
  const head = builder.pendingChain ? (builder.pendingChain.head ?? builder.pendingChain) : null;
  const rule = new Rule(d.file, d.line);

  if (head) {
    for (const name of set.names) {
      if (LINK_FORBIDDEN.has(name)) {
        throw new RuleError(`action ${name} is not allowed in a chained rule (only in the chain's first rule)`, d.file, d.line);
      }
    }
    rule.head = head;
    rule.phase = head.phase;
  } else {
    if (set.id === undefined) throw new RuleError('rule has no id', d.file, d.line);
    if (builder.byId.has(set.id)) throw new RuleError(`duplicate rule id ${set.id}`, d.file, d.line);
    rule.id = set.id;
    rule.idText = String(set.id);
    rule.phase = set.phase ?? 2;
  }

  if (targets !== null && operator !== null) {
    addTargets(rule, parseTargets(targets, d.file, d.line), d.file, d.line);
    if (rule.targets.length === 0) throw new RuleError('rule has only excluded targets', d.file, d.line);
    const op = parseOperator(operator);
    const factory = getOperator(op.name);
    if (factory === undefined) throw new UnsupportedError('operator', `@${op.name}`, d.file, d.line);
    rule.operator = factory(op.argument, {
      file: d.file,
      line: d.line,
      baseDir: ctx.baseDir,
      compileMacro: ctx.compileMacro,
    });
    rule.operatorName = op.name;
    rule.operatorArgument = op.argument;
    rule.negated = op.negated;
    rule.constantOperand = !op.argument.includes('%{');
  }

  const defaults = defaultsFor(builder, rule.phase);
  applyActionSet(rule, set, defaults, builder, d);

  if (head) {
    const prev = builder.pendingChain as Rule;
    prev.next = rule;
  } else {
    builder.byId.set(rule.id, rule);
    builder.rules.push(rule);
  }
  builder.pendingChain = set.chain ? rule : null;
}

/** Merges the rule's actions with SecDefaultAction and stores them on the compiled rule. */
export function applyActionSet(rule: Rule, set: ActionSet, defaults: ActionSet | undefined, builder: RulesetBuilder, d: Directive): void {
  const names = [...(defaults?.transformations ?? []), ...set.transformations];
  const steps: { name: string; fn: Transformation }[] = [];
  for (const name of names) {
    if (name.toLowerCase() === 'none') {
      steps.length = 0;
      continue;
    }
    const fn = getTransformation(name);
    if (fn === undefined) throw new UnsupportedError('transformation', name, d.file, d.line);
    steps.push({ name, fn });
  }
  rule.transformations = builder.chains.intern(steps);
  rule.multiMatch = set.multiMatch;
  rule.capture = set.capture;
  if (set.msg) rule.msg = set.msg;
  if (set.logdata) rule.logdata = set.logdata;
  rule.severity = set.severity;
  rule.tags = set.tags;
  rule.ver = set.ver;
  rule.rev = set.rev;
  rule.maturity = set.maturity;
  rule.accuracy = set.accuracy;
  rule.log = set.log ?? defaults?.log ?? true;
  rule.auditlog = set.auditlog ?? defaults?.auditlog ?? true;
  rule.actions = set.actions;
  if (set.xmlns.length > 0) {
    // A later declaration of the same prefix wins, as in libxml2's registration.
    rule.xmlns = new Map(set.xmlns.map((n) => [n.prefix, n.uri]));
    rule.xmlnsKey = [...rule.xmlns].map(([p, u]) => `${p}=${u}`).join('\n');
  }
  rule.skip = set.skip ?? 0;
  rule.skipAfter = set.skipAfter;
  if (rule.head === null) {
    if (defaults && defaults.actions.length > 0) rule.actions = [...defaults.actions, ...set.actions];
    const written = set.disruptive ?? defaults?.disruptive ?? 'pass';
    rule.disruptiveWritten = set.disruptive;
    // ModSecurity merges status and redirect URL from SecDefaultAction whatever the rule's action.
    const effective = written === 'block' ? (defaults?.disruptive && defaults.disruptive !== 'block' ? defaults.disruptive : 'pass') : written;
    const status = set.status ?? defaults?.status;
    const redirectUrl = set.redirectUrl ?? defaults?.redirectUrl;
    rule.disruptive = effective;
    rule.allowScope = set.disruptive === 'allow' ? (set.allowScope ?? 'all') : (defaults?.allowScope ?? 'all');
    rule.status = status;
    rule.redirectUrl = redirectUrl;
  }
}

export function secRule(builder: RulesetBuilder, d: Directive): void {
  if (d.args.length < 2 || d.args.length > 3) {
    throw new RuleError(`SecRule takes 2 or 3 arguments (variables, operator, actions), got ${d.args.length}`, d.file, d.line);
  }
  compile(builder, d, d.args[0] ?? '', d.args[1] ?? '', d.args[2] ?? '');
}

export function secAction(builder: RulesetBuilder, d: Directive): void {
  if (d.args.length !== 1) throw new RuleError(`SecAction takes 1 argument (actions), got ${d.args.length}`, d.file, d.line);
  if (builder.pendingChain) throw new RuleError('SecAction cannot follow a rule with chain', d.file, d.line);
  compile(builder, d, null, null, d.args[0] ?? '');
}

export function secMarker(builder: RulesetBuilder, d: Directive): void {
  if (d.args.length !== 1 || d.args[0] === '') throw new RuleError('SecMarker takes 1 argument (a name)', d.file, d.line);
  if (builder.pendingChain) throw new RuleError('SecMarker cannot follow a rule with chain', d.file, d.line);
  const marker = new Rule(d.file, d.line);
  marker.marker = d.args[0];
  builder.rules.push(marker);
}

const DEFAULT_FORBIDDEN = new Set(['id', 'msg', 'tag', 'severity', 'logdata', 'rev', 'ver', 'maturity', 'accuracy', 'chain', 'skip', 'skipafter']);

export function secDefaultAction(builder: RulesetBuilder, d: Directive): void {
  if (d.args.length !== 1) throw new RuleError('SecDefaultAction takes 1 argument (actions)', d.file, d.line);
  const set = parseActions(d.args[0] ?? '', actionContext(builder, d));
  for (const name of set.names) {
    if (DEFAULT_FORBIDDEN.has(name)) throw new RuleError(`SecDefaultAction must not contain ${name}`, d.file, d.line);
  }
  if (set.disruptive === undefined) throw new RuleError('SecDefaultAction must specify a disruptive action', d.file, d.line);
  if (set.disruptive === 'block') throw new RuleError('SecDefaultAction cannot use block', d.file, d.line);
  builder.defaults.set(set.phase ?? 2, set);
}
