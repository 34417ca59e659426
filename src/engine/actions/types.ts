/**
 * Actions (the third SecRule argument). At load, each action applies itself to
 * the rule's {@link ActionSet} (metadata, flow, disruptive choice, settings);
 * non-disruptive actions also leave a {@link RuntimeAction} that runs every
 * time the rule matches a value, as in ModSecurity v2.
 *
 * Kinds follow the ModSecurity reference manual: disruptive (deny, block, ...),
 * non-disruptive (setvar, ctl, ...), flow (chain, skip, skipAfter), metadata
 * (id, msg, tag, ...) and data (status, xmlns, capture, t, multiMatch).
 */
import type { Macro, MacroSource } from '../macro.types.ts';
import type { VarCollection } from '../collections/var-collection.ts';

export type ActionKind = 'disruptive' | 'non-disruptive' | 'flow' | 'metadata' | 'data';

export type DisruptiveName = 'deny' | 'drop' | 'redirect' | 'pass' | 'allow' | 'block';

/** `allow` (whole transaction), `allow:phase` (current phase), `allow:request` (request phases). */
export type AllowScope = 'all' | 'phase' | 'request';

export interface ActionContext {
  readonly file: string;
  readonly line: number;
  readonly baseDir: string;
  compileMacro(text: string): Macro;
}

/** The parsed actions of one rule (ModSecurity's actionset), before merging with SecDefaultAction. */
export interface ActionSet {
  id?: number;
  phase?: number;
  msg?: Macro;
  logdata?: Macro;
  severity?: number;
  tags: string[];
  ver?: string;
  rev?: string;
  maturity?: number;
  accuracy?: number;
  chain: boolean;
  capture: boolean;
  multiMatch: boolean;
  /** `t:` names in order; `none` resets what came before (including inherited ones). */
  transformations: string[];
  disruptive?: DisruptiveName;
  allowScope?: AllowScope;
  status?: number;
  redirectUrl?: Macro;
  skip?: number;
  skipAfter?: string;
  log?: boolean;
  auditlog?: boolean;
  /** Non-disruptive actions, run in order on every match. */
  actions: RuntimeAction[];
  /** `xmlns:prefix=uri` declarations for this rule's XML:/xpath targets, in order. */
  xmlns: XmlNamespace[];
  /** Names of every action given, for checks such as "chained rules take no disruptive action". */
  names: string[];
}

/** One `xmlns` action: an XPath prefix bound to a namespace URI. */
export interface XmlNamespace {
  readonly prefix: string;
  readonly uri: string;
}

export function emptyActionSet(): ActionSet {
  return { tags: [], chain: false, capture: false, multiMatch: false, transformations: [], actions: [], names: [], xmlns: [] };
}

export interface ActionDefinition {
  readonly kind: ActionKind;
  /** Applies the action to `set`; throws RuleError (with ctx file/line) for a bad argument. */
  apply(set: ActionSet, argument: string | undefined, ctx: ActionContext): void;
}

/** A non-disruptive action compiled at load, executed per match. */
export interface RuntimeAction {
  readonly name: string;
  execute(host: ActionHost): void;
}

/** A `VAR` or `VAR:key` / `VAR:/regex/` selector, as ctl:ruleRemoveTarget* takes. */
export interface TargetSelector {
  readonly variable: string;
  readonly key?: string;
  readonly keyRegex?: RegExp;
}

/** What runtime actions may do to the transaction: the narrow view they get. */
export interface ActionHost extends MacroSource {
  /** TX, IP, GLOBAL, SESSION, USER, RESOURCE, ENV; undefined for an unknown collection. */
  collection(name: string): VarCollection | undefined;
  removeRulesById(ranges: readonly IdRange[]): void;
  removeRulesByTag(pattern: RegExp): void;
  removeRulesByMsg(pattern: RegExp): void;
  removeTargetsById(ranges: readonly IdRange[], target: TargetSelector): void;
  removeTargetsByTag(pattern: RegExp, target: TargetSelector): void;
  removeTargetsByMsg(pattern: RegExp, target: TargetSelector): void;
  setRuleEngine(mode: 'On' | 'Off' | 'DetectionOnly'): void;
  setRequestBodyProcessor(name: string): void;
  setForceRequestBodyVariable(on: boolean): void;
  setRequestBodyAccess(on: boolean): void;
  setRequestBodyLimit(limit: number): void;
  setResponseBodyAccess(on: boolean): void;
  setResponseBodyLimit(limit: number): void;
  setAuditEngine(mode: 'On' | 'Off' | 'RelevantOnly'): void;
  setAuditLogParts(parts: string): void;
}

export interface IdRange {
  readonly from: number;
  readonly to: number;
}

/** Parses `1,5-9, 12` style id lists (SecRuleRemoveById, ctl:ruleRemoveById); null when malformed. */
export function parseIdRanges(text: string): IdRange[] | null {
  const out: IdRange[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    if (raw === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(raw);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return null;
    out.push({ from, to });
  }
  return out.length > 0 ? out : null;
}

export function idInRanges(id: number, ranges: readonly IdRange[]): boolean {
  for (const r of ranges) if (id >= r.from && id <= r.to) return true;
  return false;
}
