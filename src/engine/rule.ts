/**
 * A compiled rule: targets resolved to variable definitions, the operator built
 * by its factory, the transformation chain interned, actions applied. Chained
 * rules hang off their head through `next`; SecMarker is a rule with `marker`.
 * Evaluation lives in transaction.ts (it needs the transaction's state); the
 * phase loop in rule-group.ts.
 */
import type { XpathQuery } from './body/index.ts';
import type { Macro } from './macro.types.ts';
import type { Operator } from './operators/types.ts';
import type { ChainNode } from './transform-chain.ts';
import type { AllowScope, DisruptiveName, RuntimeAction } from './actions/types.ts';
import type { VariableDefinition } from './variables/index.ts';

/** One rule target. Every field is always present (undefined when unused) so all targets share one shape. */
export interface Target {
  readonly variable: string;
  readonly definition: VariableDefinition;
  readonly key: string | undefined;
  readonly keyRegex: RegExp | undefined;
  readonly count: boolean;
  /** For `&VAR[:key]`: the name MATCHED_VAR_NAME shows, as written in the rule. */
  readonly countName: string;
  /** XML targets: the compiled XPath of the key. */
  readonly xpath: XpathQuery | undefined;
}

/** A `!VAR[:key]` exclusion (rule-level or from ctl:ruleRemoveTarget*); `key` is lower-cased. */
export interface Exclusion {
  readonly variable: string;
  readonly key: string | undefined;
  readonly keyRegex: RegExp | undefined;
}

const NO_NAMESPACES: ReadonlyMap<string, string> = new Map();

export class Rule {
  // Fields the phase loop and rule evaluation read come first, in about the order they read them:
  // V8 lays an object's fields out in declaration order, so they share the fewest cache lines
  // (the phase loop touches ~400 rules per request; the first touch of each is a cache miss).
  /** SecMarker name; markers are placeholders that skipAfter looks for. */
  marker: string | undefined;
  /** Set by SecRuleRemoveBy*: the rule stays in the list (for markers) but never runs. */
  removed = false;
  skip = 0;
  skipAfter: string | undefined;
  /** 0 for chained links and markers. */
  id = 0;
  /** The next link of a chain. */
  next: Rule | null = null;
  /** null for SecAction and SecMarker: they always match once. */
  operator: Operator | null = null;
  /** False when the operator argument holds a macro (`%{...}`): its result may then depend on more than the input. */
  constantOperand = true;
  /** Dense index of this link in its ruleset (WafImpl numbers them), for per-value no-match bits. */
  linkIndex = -1;
  negated = false;
  multiMatch = false;
  capture = false;
  transformations: ChainNode[] = [];
  actions: RuntimeAction[] = [];
  /** Resolved disruptive action (block already replaced by SecDefaultAction's). */
  disruptive: DisruptiveName = 'pass';
  targets: Target[] = [];
  exclusions: Exclusion[] = [];
  /**
   * Chain heads: per target, the id of the list of its values that other rules of the phase
   * read too (target-signature.ts), or -1; null when no target is shared.
   */
  sharedTargets: Int32Array | null = null;
  /** Chain heads with an operator: the number of their first target among the ruleset's (target-signature.ts). */
  targetSlot = -1;
  /**
   * Chain heads whose every target is shared and whose "no match" is remembered: the rule can
   * be passed over when each list's values are all known not to match it (transaction.ts).
   */
  skipsWhenKnown = false;
  /** `id` as text, for skipAfter targets that name a rule id. */
  idText = '';
  phase = 2;
  readonly file: string;
  readonly line: number;
  operatorName = '';
  operatorArgument = '';
  msg: Macro | undefined;
  logdata: Macro | undefined;
  severity: number | undefined;
  tags: string[] = [];
  ver: string | undefined;
  rev: string | undefined;
  maturity: number | undefined;
  accuracy: number | undefined;
  /** What was written: `block` keeps its name for logs. */
  disruptiveWritten: DisruptiveName | undefined;
  allowScope: AllowScope = 'all';
  status: number | undefined;
  redirectUrl: Macro | undefined;
  log = true;
  auditlog = true;
  /** `xmlns` prefix → URI for XML targets; empty when the rule declares none. */
  xmlns: ReadonlyMap<string, string> = NO_NAMESPACES;
  /** A key identifying `xmlns` (for per-transaction caches); '' when empty. */
  xmlnsKey = '';
  /** The chain's head, for links (null on heads). */
  head: Rule | null = null;

  constructor(file: string, line: number) {
    this.file = file;
    this.line = line;
  }

  /** The id under which the rule is logged and removed: the head's for chain links. */
  get logId(): number {
    return this.head ? this.head.id : this.id;
  }
}
