/**
 * The compiled ruleset and its engine settings: what `createWaf` returns.
 * Immutable after load; every request gets its own Transaction.
 */
import type { EngineSettings, RuleEngineMode, Transaction, Waf } from './api.ts';
import type { Rule } from './rule.ts';
import { phaseRules, type PhaseRules } from './rule-group.ts';
import type { ChainRegistry } from './transform-chain.ts';
import { assignTargetSignatures, type SharedTargetTable } from './target-signature.ts';
import { TransactionImpl } from './transaction.ts';
import { DEFAULT_VALUE_CACHE_BYTES, SharedValueCache } from './value-cache.ts';

export type AuditEngineMode = 'On' | 'Off' | 'RelevantOnly';

/** Settings from directives that the engine uses itself, beyond the public EngineSettings. */
export interface WafConfig {
  ruleEngine: RuleEngineMode;
  requestBodyAccess: boolean;
  requestBodyLimit: number;
  requestBodyNoFilesLimit: number;
  requestBodyInMemoryLimit: number;
  requestBodyLimitAction: 'Reject' | 'ProcessPartial';
  responseBodyAccess: boolean;
  responseBodyLimit: number;
  responseBodyLimitAction: 'Reject' | 'ProcessPartial';
  responseBodyMimeTypes: string[];
  argumentSeparator: string;
  cookieFormat: 0 | 1;
  argumentsLimit: number;
  jsonDepthLimit: number;
  uploadFileLimit: number;
  auditEngine: AuditEngineMode;
  auditLogParts: string;
  auditLogRelevantStatus: RegExp | null;
  webAppId: string;
  componentSignatures: string[];
  serverSignature: string;
  pcreMatchLimit: number;
  pcreMatchLimitRecursion: number;
  collectionTimeout: number;
}

/**
 * picket's defaults: ModSecurity v2's built-in values, except that the rule engine
 * and request body access start On (a WAF whose rules do not run is a trap);
 * rulesets/waf.conf states them explicitly anyway.
 */
export function defaultConfig(): WafConfig {
  return {
    ruleEngine: 'On',
    requestBodyAccess: true,
    requestBodyLimit: 134217728,
    requestBodyNoFilesLimit: 1048576,
    requestBodyInMemoryLimit: 131072,
    requestBodyLimitAction: 'Reject',
    responseBodyAccess: false,
    responseBodyLimit: 524288,
    responseBodyLimitAction: 'Reject',
    responseBodyMimeTypes: ['text/plain', 'text/html'],
    argumentSeparator: '&',
    cookieFormat: 0,
    argumentsLimit: 1000,
    jsonDepthLimit: 10000,
    uploadFileLimit: 100,
    auditEngine: 'Off',
    auditLogParts: 'ABCFHZ',
    auditLogRelevantStatus: null,
    webAppId: 'default',
    componentSignatures: [],
    serverSignature: '',
    pcreMatchLimit: 1000,
    pcreMatchLimitRecursion: 1000,
    collectionTimeout: 3600,
  };
}

export class WafImpl implements Waf {
  readonly settings: EngineSettings;
  readonly config: Readonly<WafConfig>;
  /** Rules by phase (index 1-5): chain heads and markers, in load order. */
  readonly phases: readonly (readonly Rule[])[];
  /** The same lists with their skipAfter targets resolved, for the phase loop. */
  readonly phaseRules: readonly PhaseRules[];
  readonly ruleCount: number;
  readonly chains: ChainRegistry;
  /** Rule links (heads and chained links) in the ruleset, each numbered by Rule.linkIndex. */
  readonly linkCount: number;
  /** Bits of a value's noMatch set: one per link, then one screen mark per shared signature (byte-screen.ts). */
  readonly noMatchBits: number;
  /** Target lists shared by rules that read the same (target-signature.ts). */
  readonly shared: SharedTargetTable;
  #runs = 0;
  /** Whether shared lists screen their new values (byte-screen.ts); off only to measure it or test that it changes nothing. */
  byteScreen = true;
  /** Pass over rules known not to match any value they read (transaction.ts #knownForAll); tests turn it off. */
  skipKnown = true;
  /** Rules passed over that way since load (tests and measurements). */
  rulesPassedOver = 0;
  /** Values inspected by earlier transactions (value-cache.ts); null when disabled. */
  #valueCache: SharedValueCache | null;
  readonly #selections = new WeakMap<object, Int8Array>();
  readonly #removalVerdicts = new WeakMap<object, WeakMap<object, Int8Array>>();

  constructor(config: WafConfig, phases: Rule[][], chains: ChainRegistry) {
    this.config = Object.freeze({ ...config, responseBodyMimeTypes: [...config.responseBodyMimeTypes] });
    this.settings = Object.freeze({
      ruleEngine: config.ruleEngine,
      requestBodyAccess: config.requestBodyAccess,
      requestBodyLimit: config.requestBodyLimit,
      requestBodyNoFilesLimit: config.requestBodyNoFilesLimit,
      requestBodyLimitAction: config.requestBodyLimitAction,
      responseBodyAccess: config.responseBodyAccess,
      responseBodyLimit: config.responseBodyLimit,
      responseBodyLimitAction: config.responseBodyLimitAction,
      responseBodyMimeTypes: Object.freeze([...config.responseBodyMimeTypes]),
    });
    this.phases = phases;
    this.phaseRules = phases.map(phaseRules);
    this.chains = chains;
    let n = 0;
    for (const list of phases) for (const r of list) if (r.marker === undefined && !r.removed) n++;
    this.ruleCount = n;
    const links = numberLinks(phases);
    this.linkCount = links.length;
    this.shared = assignTargetSignatures(phases, links);
    this.noMatchBits = this.linkCount + this.shared.signatures.length;
    this.#valueCache = new SharedValueCache(chains.size, this.noMatchBits, DEFAULT_VALUE_CACHE_BYTES);
  }

  get valueCache(): SharedValueCache | null {
    return this.#valueCache;
  }

  /**
   * Whether a ctl selector (a ctl action's compiled id ranges or tag/msg pattern, one object
   * per action) picks `rule`: decided once per rule and ruleset, not per transaction.
   */
  selects(selector: object, rule: Rule, picks: (selector: object, rule: Rule) => boolean): boolean {
    let verdicts = this.#selections.get(selector);
    if (verdicts === undefined) {
      verdicts = new Int8Array(this.linkCount);
      this.#selections.set(selector, verdicts);
    }
    const known = verdicts[rule.linkIndex];
    if (known !== 0) return known === 1;
    const picked = picks(selector, rule);
    verdicts[rule.linkIndex] = picked ? 1 : -1;
    return picked;
  }

  /**
   * Per link, whether a ctl target removal (the ctl action's `selector` and `target`, objects
   * made once at load) concerns it: 0 not decided yet, 1 yes, -1 no. Kept across transactions.
   */
  removalVerdicts(selector: object, target: object): Int8Array {
    let byTarget = this.#removalVerdicts.get(selector);
    if (byTarget === undefined) {
      byTarget = new WeakMap();
      this.#removalVerdicts.set(selector, byTarget);
    }
    let verdicts = byTarget.get(target);
    if (verdicts === undefined) {
      verdicts = new Int8Array(this.linkCount);
      byTarget.set(target, verdicts);
    }
    return verdicts;
  }

  /** A number for a new phase run: shared lists built in an earlier run are out of date. */
  nextRun(): number {
    return ++this.#runs;
  }

  /** Sets the byte budget of the cross-transaction value cache (0 disables it), starting empty. */
  setValueCacheBudget(bytes: number): void {
    this.#valueCache = bytes > 0 ? new SharedValueCache(this.chains.size, this.noMatchBits, bytes) : null;
  }

  forgetValues(): void {
    const cache = this.#valueCache;
    if (cache !== null) this.setValueCacheBudget(cache.budgetBytes);
  }

  newTransaction(id: string): Transaction {
    return new TransactionImpl(this, id);
  }
}

/** Gives every link of every rule a dense index; returns the links by index. */
function numberLinks(phases: readonly (readonly Rule[])[]): Rule[] {
  const links: Rule[] = [];
  for (const list of phases) {
    for (const head of list) {
      // Markers sit in every phase: number each rule once.
      for (let link: Rule | null = head; link !== null; link = link.next) {
        if (link.linkIndex < 0) {
          link.linkIndex = links.length;
          links.push(link);
        }
      }
    }
  }
  return links;
}
