/**
 * One HTTP exchange through the engine (see api.ts for the call order).
 *
 * Holds the variables (RequestData), the transformation cache, per-transaction
 * ctl changes, and evaluates rules: every target value is transformed (cached by
 * chain prefix) and matched; each match sets MATCHED_VAR(S) and runs the rule's
 * non-disruptive actions (ModSecurity v2); when the whole chain matched, the
 * match is logged and the disruptive action applied. DetectionOnly keeps the
 * first would-be interruption and never disrupts; Off runs nothing.
 * Errors inside an operator are caught per rule and recorded, never thrown.
 * Targets that other rules of the phase read alike come from lists shared for
 * the phase run (target-signature.ts).
 */
import type { Interruption, MatchedRule, RuleEngineMode, RuleRuntimeError, Transaction } from './api.ts';
import type { ActionHost, IdRange, TargetSelector } from './actions/types.ts';
import { idInRanges } from './actions/types.ts';
import { evaluateXpath } from './body/index.ts';
import type { XmlDocument } from './body/index.ts';
import { screenValue, type ScreenPlan } from './byte-screen.ts';
import { CollectedValues, KIND_ALWAYS, KIND_ENTRY, KIND_VALUE } from './collected-values.ts';
import type { Entry } from './collections/types.ts';
import { VarCollection } from './collections/var-collection.ts';
import type { MatchState } from './operators/types.ts';
import type { Exclusion, Rule, Target } from './rule.ts';
import { runPhase } from './rule-group.ts';
import type { PhaseHost, RuleOutcome } from './rule-group.ts';
import { runChain, type ChainNode } from './transform-chain.ts';
import type { SharedTargets } from './target-signature.ts';
import { knownNoMatch, knownNoMatchAll, TransactionValueCache, type CachedValue, type LinkSet } from './value-cache.ts';
import { RequestData } from './variables/data.ts';
import { VARIABLES } from './variables/index.ts';
import { populateRequestBody, populateRequestHeaders, populateUri } from './variables/populate.ts';
import { namespaceView, xpathUsesNames } from './variables/xml-namespaces.ts';
import type { AuditEngineMode, WafImpl } from './waf.ts';

export type { RuleRuntimeError } from './api.ts';

/** One ctl:ruleRemoveTargetBy*: which rules (`selector`, tested by `picks`) lose which target. */
interface TargetRemoval {
  /** The ctl action's compiled id ranges or pattern: one object per action, so decisions are memoized on it. */
  readonly selector: object;
  readonly picks: (selector: never, rule: Rule) => boolean;
  readonly target: TargetSelector;
  /** Per link, whether the removal concerns it (WafImpl.removalVerdicts: kept across transactions). */
  readonly verdicts: Int8Array;
}

const byId = (ranges: readonly IdRange[], rule: Rule): boolean => idInRanges(rule.id, ranges);
const byTag = (pattern: RegExp, rule: Rule): boolean => rule.tags.some((t) => pattern.test(t));
const byMsg = (pattern: RegExp, rule: Rule): boolean => rule.msg !== undefined && pattern.test(rule.msg.text);

const NO_VALUE_NAME = '';
/** Removals a mask can name (bits of an int32 above the sign); rulesets rarely add more than a few. */
const MAX_MASKED_REMOVALS = 30;
/** The mask of a link with a removal past MAX_MASKED_REMOVALS: its removal list is made afresh each time. */
const MASK_UNNAMED = -1;
/** TX keys of the regex captures 0-9. */
const CAPTURE_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export class TransactionImpl implements Transaction, ActionHost, MatchState, PhaseHost {
  readonly id: string;
  readonly data: RequestData;
  readonly errors: RuleRuntimeError[] = [];
  /** MatchState: whether the rule being evaluated has `capture`. */
  capture = false;

  readonly #waf: WafImpl;
  #ruleEngine: RuleEngineMode;
  #requestBodyAccess: boolean;
  #responseBodyAccess: boolean;
  /** Whether the response's Content-Type is a SecResponseBodyMimeType; undefined until asked (the proxy asks often). */
  #responseTypeListed: boolean | undefined;
  #requestBodyLimit: number;
  #responseBodyLimit: number;
  #forceRequestBodyVariable = false;
  #auditEngine: AuditEngineMode;
  #auditLogParts: string;
  #auditMatched = false;

  #interruption: Interruption | null = null;
  #wouldInterrupt: Interruption | null = null;
  readonly #matched: MatchedRule[] = [];
  #allow: 'none' | 'all' | 'request' = 'none';
  readonly #done: boolean[] = [false, false, false, false, false, false];

  #removedIds: IdRange[] | null = null;
  #removedTags: RegExp[] | null = null;
  #removedMsgs: RegExp[] | null = null;
  #targetRemovals: TargetRemoval[] | null = null;
  /** The removal lists of the masks in use (#removalMask), made once per mask. */
  #removalLists: Map<number, TargetSelector[]> | null = null;

  readonly #cache: TransactionValueCache;
  #currentRule: Rule | null = null;
  #ruleCollection: VarCollection | null = null;

  #requestChunks: Buffer[] = [];
  #requestLength = 0;
  #responseChunks: Buffer[] = [];
  #responseLength = 0;

  /** The lists the link being evaluated reads, in order (#collectAll). */
  readonly #segments: CollectedValues[] = [];
  /** Lists for targets a link collects alone, by segment position. */
  readonly #own: CollectedValues[] = [];
  /** This phase run's number (WafImpl.nextRun): shared target lists from other runs are stale. */
  #runId = -1;
  /** Shared lists built during this phase run, released when it ends. */
  #built: CollectedValues[] | null = null;
  /** XML documents renamed per set of xmlns bindings (see variables/xml-namespaces.ts). */
  #xmlViews: Map<string, XmlDocument> | null = null;

  constructor(waf: WafImpl, id: string) {
    this.#waf = waf;
    this.id = id;
    const c = waf.config;
    this.#cache = new TransactionValueCache(waf.valueCache, waf.chains.size, waf.noMatchBits);
    this.#ruleEngine = c.ruleEngine;
    this.#requestBodyAccess = c.requestBodyAccess;
    this.#responseBodyAccess = c.responseBodyAccess;
    this.#requestBodyLimit = c.requestBodyLimit;
    this.#responseBodyLimit = c.responseBodyLimit;
    this.#auditEngine = c.auditEngine;
    this.#auditLogParts = c.auditLogParts;
    this.data = new RequestData(id);
    this.data.webAppId = c.webAppId;
    this.data.ruleSource = this;
  }

  // ---- lifecycle -------------------------------------------------------------------

  processConnection(clientAddress: string, clientPort: number, serverAddress: string, serverPort: number): void {
    const d = this.data;
    d.remoteAddr = clientAddress;
    d.remotePort = clientPort;
    d.serverAddr = serverAddress;
    d.serverPort = serverPort;
  }

  processUri(uri: string, method: string, protocol: string): void {
    populateUri(this.data, uri, method, protocol, this.#waf.config.argumentSeparator);
  }

  addRequestHeader(name: string, value: string): void {
    this.data.rawHeaders.push([name, value]);
  }

  processRequestHeaders(): Interruption | null {
    if (this.#done[1]) return this.#interruption;
    populateRequestHeaders(this.data, this.#waf.config.cookieFormat);
    return this.#phase(1);
  }

  get requestBodyAccess(): boolean {
    return this.#requestBodyAccess && this.#ruleEngine !== 'Off';
  }

  appendRequestBody(chunk: Buffer): Interruption | null {
    if (this.#interruption) return this.#interruption;
    if (!this.requestBodyAccess || chunk.length === 0) return null;
    const c = this.#waf.config;
    const room = this.#requestBodyLimit - this.#requestLength;
    if (chunk.length > room) {
      // SecRequestBodyLimit: Reject answers 413; ProcessPartial inspects what fits.
      this.data.inboundDataError = true;
      if (c.requestBodyLimitAction === 'Reject') {
        const it = this.#interrupt({ action: 'deny', status: 413, ruleId: 0 });
        if (it !== null) return it;
      }
      // ProcessPartial, or DetectionOnly (which never rejects): inspect what fits.
      if (room > 0) this.#pushRequest(chunk.subarray(0, room));
    } else {
      this.#pushRequest(chunk);
    }
    // SecRequestBodyNoFilesLimit counts bodies a processor buffers (multipart: non-file data,
    // checked after parsing). Past it ModSecurity v2 rejects whatever the limit action.
    const p = this.data.reqbodyProcessor;
    if (p !== 'MULTIPART' && (p !== '' || this.#forceRequestBodyVariable) && this.#requestLength >= c.requestBodyNoFilesLimit) {
      return this.#noFilesLimitExceeded();
    }
    return null;
  }

  #noFilesLimitExceeded(): Interruption | null {
    const d = this.data;
    if (!d.reqbodyError) {
      d.reqbodyError = true;
      d.reqbodyErrorMsg = `Request body no files data length is larger than the configured limit (${this.#waf.config.requestBodyNoFilesLimit}).`;
    }
    return this.#interrupt({ action: 'deny', status: 413, ruleId: 0 });
  }

  processRequestBody(): Interruption | null {
    if (this.#done[2]) return this.#interruption;
    // A caller that skipped a phase still gets ModSecurity's order.
    if (!this.#done[1] && this.processRequestHeaders()) return this.#interruption;
    if (this.#ruleEngine !== 'Off' && this.#requestBodyAccess && this.#interruption === null && this.#bodyExpected()) {
      this.#parseRequestBody();
      if (this.#interruption !== null) {
        this.#done[2] = true;
        return this.#interruption;
      }
    }
    return this.#phase(2);
  }

  addResponseHeader(name: string, value: string): void {
    this.data.responseHeaders.add(name, value);
    this.#responseTypeListed = undefined;
  }

  processResponseHeaders(status: number, protocol: string): Interruption | null {
    if (this.#done[3]) return this.#interruption;
    if (!this.#done[2] && this.processRequestBody()) return this.#interruption;
    this.data.responseStatus = status;
    this.data.responseProtocol = protocol;
    return this.#phase(3);
  }

  get responseBodyAccess(): boolean {
    if (!this.#responseBodyAccess || this.#ruleEngine === 'Off') return false;
    return (this.#responseTypeListed ??= this.#listedResponseType());
  }

  #listedResponseType(): boolean {
    const ct = this.data.responseHeaders.first('content-type');
    if (ct === undefined) return false;
    const type = (ct.split(';')[0] ?? '').trim().toLowerCase();
    return this.#waf.config.responseBodyMimeTypes.includes(type);
  }

  appendResponseBody(chunk: Buffer): Interruption | null {
    if (this.#interruption) return this.#interruption;
    if (!this.responseBodyAccess || chunk.length === 0) return null;
    const room = this.#responseBodyLimit - this.#responseLength;
    if (chunk.length > room) {
      this.data.outboundDataError = true;
      if (room > 0) this.#pushResponse(chunk.subarray(0, room));
      if (this.#waf.config.responseBodyLimitAction === 'Reject') {
        return this.#interrupt({ action: 'deny', status: 500, ruleId: 0 });
      }
      return null;
    }
    this.#pushResponse(chunk);
    return null;
  }

  processResponseBody(): Interruption | null {
    if (this.#done[4]) return this.#interruption;
    if (this.responseBodyAccess) {
      this.data.responseBody = Buffer.concat(this.#responseChunks, this.#responseLength).toString('latin1');
      this.data.responseBodyAvailable = true;
      this.#responseChunks = [];
    }
    return this.#phase(4);
  }

  processLogging(): void {
    if (this.#done[5]) return;
    this.#done[5] = true;
    if (this.#ruleEngine === 'Off') return;
    this.#run(5);
  }

  get interruption(): Interruption | null {
    return this.#interruption;
  }

  get wouldInterrupt(): Interruption | null {
    return this.#wouldInterrupt;
  }

  get matchedRules(): readonly MatchedRule[] {
    return this.#matched;
  }

  get auditRelevant(): boolean {
    if (this.#auditEngine === 'On') return true;
    if (this.#auditEngine === 'Off') return false;
    if (this.#auditMatched) return true;
    const re = this.#waf.config.auditLogRelevantStatus;
    return re !== null && this.data.responseStatus !== 0 && re.test(String(this.data.responseStatus));
  }

  get auditLogParts(): string {
    return this.#auditLogParts;
  }

  txValue(key: string): string {
    return this.data.tx.value(key) ?? '';
  }

  // ---- phases ----------------------------------------------------------------------

  #phase(phase: number): Interruption | null {
    this.#done[phase] = true;
    if (this.#ruleEngine === 'Off' || this.#interruption !== null) return this.#interruption;
    if (this.#allow === 'all') return null;
    if (this.#allow === 'request' && phase <= 2) return null;
    this.#run(phase);
    return this.#interruption;
  }

  #run(phase: number): void {
    const rules = this.#waf.phaseRules[phase];
    if (rules === undefined) return;
    this.#runId = this.#waf.nextRun();
    try {
      runPhase(this, rules);
    } finally {
      // Other transactions take the shared lists next: leave none of this one's values in them.
      const built = this.#built;
      if (built !== null) {
        for (const list of built) list.release();
        built.length = 0;
      }
      this.#runId = -1;
    }
  }

  /** ModSecurity's reqbody_should_exist: a Content-Length or chunked Transfer-Encoding was sent (or bytes arrived). */
  #bodyExpected(): boolean {
    const h = this.data.requestHeaders;
    if (this.#requestLength > 0 || h.first('content-length') !== undefined) return true;
    const te = h.first('transfer-encoding');
    return te !== undefined && te.toLowerCase().includes('chunked');
  }

  #pushRequest(chunk: Buffer): void {
    this.#requestChunks.push(chunk);
    this.#requestLength += chunk.length;
  }

  #pushResponse(chunk: Buffer): void {
    this.#responseChunks.push(chunk);
    this.#responseLength += chunk.length;
  }

  #parseRequestBody(): void {
    const c = this.#waf.config;
    const body = Buffer.concat(this.#requestChunks, this.#requestLength).toString('latin1');
    this.#requestChunks = [];
    const noFilesLength = populateRequestBody(this.data, body, c, this.#forceRequestBodyVariable);
    if (this.data.reqbodyProcessor === 'MULTIPART' && noFilesLength >= c.requestBodyNoFilesLimit) this.#noFilesLimitExceeded();
  }

  // ---- interruptions ---------------------------------------------------------------

  #interrupt(it: Interruption): Interruption | null {
    if (this.#ruleEngine === 'On') {
      this.#interruption ??= it;
      return this.#interruption;
    }
    this.#wouldInterrupt ??= it;
    return null;
  }

  // ---- rule evaluation (PhaseHost) --------------------------------------------------

  isRemoved(rule: Rule): boolean {
    if (this.#removedIds !== null && idInRanges(rule.id, this.#removedIds)) return true;
    if (this.#removedTags !== null) {
      for (const re of this.#removedTags) if (tagMatches(re, rule)) return true;
    }
    if (this.#removedMsgs !== null && rule.msg !== undefined) {
      for (const re of this.#removedMsgs) if (re.test(rule.msg.text)) return true;
    }
    return false;
  }

  evaluate(rule: Rule): RuleOutcome {
    // ctl:ruleEngine=Off takes effect at once: ModSecurity checks the engine before every rule.
    if (this.#ruleEngine === 'Off') return 'stop';
    const d = this.data;
    if (d.matchedVars.size > 0) d.matchedVars.clear();
    this.#currentRule = rule;
    this.#ruleCollection = null;
    if (rule.skipsWhenKnown && this.#runId >= 0 && this.#waf.skipKnown && this.#knownForAll(rule)) {
      this.#waf.rulesPassedOver++;
      return 'no-match';
    }
    let link: Rule | null = rule;
    while (link !== null) {
      let ok: boolean;
      try {
        ok = this.#evaluateLink(link, rule);
      } catch (e) {
        this.errors.push({ ruleId: rule.id, file: link.file, line: link.line, message: (e as Error).message ?? String(e) });
        ok = false;
      }
      if (!ok) return 'no-match';
      link = link.next;
    }
    return this.#matchedChain(rule);
  }

  #matchedChain(rule: Rule): RuleOutcome {
    const d = this.data;
    if (rule.severity !== undefined && rule.severity < d.highestSeverity) d.highestSeverity = rule.severity;
    if (rule.log) {
      this.#matched.push({
        id: rule.id,
        phase: rule.phase,
        file: rule.file,
        line: rule.line,
        msg: rule.msg ? rule.msg.expand(this) : '',
        logdata: rule.logdata ? rule.logdata.expand(this) : '',
        ...(rule.severity !== undefined ? { severity: rule.severity } : {}),
        tags: rule.tags,
        ...(rule.ver !== undefined ? { ver: rule.ver } : {}),
        matchedVar: d.matchedVarName,
        matchedValue: d.matchedVar,
        disruptive: rule.disruptive,
      });
    }
    if (rule.auditlog) this.#auditMatched = true;
    switch (rule.disruptive) {
      case 'deny':
      case 'drop':
        this.#interrupt({ action: rule.disruptive, status: rule.status ?? 403, ruleId: rule.id });
        break;
      case 'redirect': {
        const status = rule.status !== undefined && [301, 302, 303, 307, 308].includes(rule.status) ? rule.status : 302;
        const url = rule.redirectUrl ? rule.redirectUrl.expand(this) : '';
        this.#interrupt({ action: 'redirect', status, ruleId: rule.id, url });
        break;
      }
      case 'allow':
        // DetectionOnly never disrupts, and allow is a disruptive action (as in coraza).
        if (this.#ruleEngine === 'On') {
          // allow:phase only ends this phase; the others also skip later phases.
          if (rule.allowScope !== 'phase') this.#allow = rule.allowScope;
          return 'stop';
        }
        break;
      default:
        break;
    }
    return this.#interruption !== null ? 'stop' : 'match';
  }

  /** Evaluates one link; returns whether any value matched. */
  #evaluateLink(link: Rule, head: Rule): boolean {
    this.capture = link.capture;
    const actions = link.actions;
    if (link.operator === null) {
      for (const a of actions) a.execute(this);
      return true;
    }
    // "No match" is remembered per value and link (value-cache.ts): exact when the operand holds
    // no macro, since an operator then reads only its input and writes only on a match (for a
    // negated link, "no match" means the operator matched). Known values are left out while
    // collecting alone, and skipped here in a shared list (which holds what any reader may need).
    const memo = link.constantOperand;
    const index = link.linkIndex;
    const segments = this.#collectAll(link, head);
    if (segments === 0) return false;
    // Stop at the first match when this link ends a chain whose disruptive action would interrupt (v2).
    const stopEarly = link.next === null && this.#ruleEngine === 'On' && head.disruptive !== 'pass' && head.disruptive !== 'allow';
    const op = link.operator;
    const negated = link.negated;
    const chain = link.transformations;
    const needRecord = memo || chain.length > 0;
    const cache = this.#cache;
    let matched = false;
    values: for (let s = 0; s < segments; s++) {
      const list = this.#segments[s] as CollectedValues;
      const n = list.n;
      const skipKnown = memo && list.shared;
      const { vars, keys, vals, kinds } = list;
      for (let i = 0; i < n; i++) {
        const raw = vals[i] as string;
        const rec = needRecord ? this.#record(list, i) : null;
        if (skipKnown && kinds[i] !== KIND_ALWAYS && knownNoMatch(rec as CachedValue, index)) continue;
        if (link.multiMatch && chain.length > 0) {
          // The raw value, then every step that changed it (results cached like runChain's).
          const results = cache.resultsOf(rec as CachedValue);
          let name: string | null = null;
          let current = raw;
          if (op.match(current, this) !== negated) {
            name = nameOf(vars[i] as string, keys[i] as string | null);
            this.#onMatch(name, current, actions);
            matched = true;
          }
          for (let j = 0; j < chain.length; j++) {
            const node = chain[j] as ChainNode;
            let next = results[node.id];
            if (next === undefined) {
              next = node.fn(current);
              cache.store(rec as CachedValue, results, node.id, next);
            }
            if (next === current) continue;
            current = next;
            if (op.match(current, this) !== negated) {
              name ??= nameOf(vars[i] as string, keys[i] as string | null);
              this.#onMatch(name, current, actions);
              matched = true;
            }
          }
          if (memo && name === null) cache.rememberNoMatch(rec as CachedValue, index);
        } else {
          const value = rec === null || chain.length === 0 ? raw : runChain(raw, rec, chain, cache);
          if (op.match(value, this) !== negated) {
            matched = true;
            this.#onMatch(nameOf(vars[i] as string, keys[i] as string | null), value, actions);
          } else if (memo) {
            cache.rememberNoMatch(rec as CachedValue, index);
          }
        }
        if (matched && stopEarly) break values;
      }
    }
    return matched;
  }

  /**
   * Collects the values `link` reads into #segments, lists read in turn; returns how many.
   * A target other rules of the phase read alike (target-signature.ts) comes from a list
   * shared for the phase run: its variable is one nothing writes during a phase, so what
   * the first reader collected is what each later one would collect (less the values all
   * of them are known not to match). Other targets, and targets a ctl removal concerns,
   * are collected into the link's own lists, less the values it is known not to match.
   */
  #collectAll(link: Rule, head: Rule): number {
    const removals = this.#targetRemovals === null ? null : this.#removalsFor(link, head);
    const ids = this.#runId >= 0 ? link.sharedTargets : null;
    if (ids !== null) return this.#collectSegments(link, ids, removals);
    // Nothing shared (most rules): one list of the link's own. Kept small enough to inline.
    const own = this.#own[0] ?? this.#newOwnList(0);
    own.n = 0;
    const targets = link.targets;
    const memoIndex = link.constantOperand ? link.linkIndex : -1;
    for (let t = 0; t < targets.length; t++) this.#collect(own, targets[t] as Target, link, removals, memoIndex, null);
    this.#segments[0] = own;
    return own.n === 0 ? 0 : 1;
  }

  /** #collectAll for a link with shared targets (`ids`, Rule.sharedTargets). */
  #collectSegments(link: Rule, ids: Int32Array, removals: readonly TargetSelector[] | null): number {
    const memoIndex = link.constantOperand ? link.linkIndex : -1;
    const targets = link.targets;
    const segments = this.#segments;
    let count = 0;
    let own: CollectedValues | null = null;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t] as number;
      // The Target itself is read only when needed: a list built earlier in the run needs only its id.
      if (id >= 0 && (removals === null || !removesVariable(removals, (targets[t] as Target).variable))) {
        const list = this.#sharedList(id, link.targetSlot + t, targets, t, link);
        if (list !== null) {
          if (list.n > 0) segments[count++] = list;
          own = null;
          continue;
        }
      }
      const target = targets[t] as Target;
      // Consecutive targets read alone go to one list (which may stay empty).
      if (own === null) {
        own = this.#own[count] ?? this.#newOwnList(count);
        own.n = 0;
        segments[count++] = own;
      }
      this.#collect(own, target, link, removals, memoIndex, null);
    }
    return count;
  }

  /**
   * The shared list of signature `id` for this phase run, collected by the first reader. null
   * when it was built before the target in `slot` was known to read it: it may then lack values
   * this reader has not inspected, so the reader collects alone (and later lists include it).
   */
  #sharedList(id: number, slot: number, targets: readonly Target[], t: number, link: Rule): CollectedValues | null {
    const table = this.#waf.shared;
    const sig = table.signatures[id] as SharedTargets;
    const list = table.lists[id] as CollectedValues;
    if (list.run === this.#runId) {
      if (!sig.memo || table.mayRead(slot, list)) return list;
      table.learn(id, slot, link.linkIndex);
      return null;
    }
    if (sig.memo && !table.knows(slot)) table.learn(id, slot, link.linkIndex);
    list.release();
    (this.#built ??= []).push(list);
    list.version = sig.version;
    this.#collect(list, targets[t] as Target, link, null, -1, sig.memo ? sig.links : null);
    if (sig.memo && this.#waf.byteScreen) this.#screen(list, table.screen(id), this.#waf.linkCount + id);
    if (sig.memo && this.#waf.skipKnown) this.#markKnown(list);
    // Marked complete only now: a list left half-built by an error is collected again.
    list.run = this.#runId;
    return list;
  }

  /**
   * Screens the values of a new shared list (byte-screen.ts): its readers whose needed bytes
   * a value cannot hold know "no match" before they visit it. Bit `mark` of a value's noMatch
   * set says it was screened for this list's signature already.
   */
  #screen(list: CollectedValues, plan: ScreenPlan | null, mark: number): void {
    if (plan === null) return;
    const cache = this.#cache;
    for (let i = 0; i < list.n; i++) {
      if (list.kinds[i] === KIND_ALWAYS) continue;
      const rec = this.#record(list, i);
      if (knownNoMatch(rec, mark)) continue;
      screenValue(plan, list.vals[i] as string, rec, cache);
      cache.rememberNoMatch(rec, mark);
    }
  }

  /**
   * Sets `list.known`: the noMatch bits every value of the new list has, so that a reader whose
   * bit is among them is passed over whole (#knownForAll). Gives up at the first value without
   * such bits, or once no bit is left.
   */
  #markKnown(list: CollectedValues): void {
    const n = list.n;
    const words = list.knownWords;
    for (let i = 0; i < n; i++) {
      if (list.kinds[i] === KIND_ALWAYS) return;
      const bits = this.#record(list, i).noMatch;
      if (bits === null) return;
      let any = 0;
      if (i === 0) {
        for (let k = 0; k < bits.length; k++) any |= words[k] = bits[k] as number;
      } else {
        for (let k = 0; k < bits.length; k++) any |= words[k] = (words[k] as number) & (bits[k] as number);
      }
      if (any === 0) return;
    }
    if (n > 0) list.known = words;
  }

  /**
   * Whether `rule` (Rule.skipsWhenKnown) is known not to match any value it would read: every
   * one of its targets reads a list built in this run for it, each empty or with the rule's bit
   * in `known`. Evaluating it would then visit each value only to skip it. Exact: a ctl target
   * removal or the rule's exclusions only take values away.
   */
  #knownForAll(rule: Rule): boolean {
    const ids = rule.sharedTargets as Int32Array;
    const table = this.#waf.shared;
    const word = rule.linkIndex >>> 5;
    const bit = 1 << (rule.linkIndex & 31);
    for (let t = 0; t < ids.length; t++) {
      const list = table.lists[ids[t] as number] as CollectedValues;
      if (list.run !== this.#runId || !table.mayRead(rule.targetSlot + t, list)) return false;
      if (list.n === 0) continue;
      const known = list.known;
      if (known === null || ((known[word] as number) & bit) === 0) return false;
    }
    return true;
  }

  /** A new list for targets a link collects alone, at segment position `i`. */
  #newOwnList(i: number): CollectedValues {
    const list = new CollectedValues();
    this.#own[i] = list;
    return list;
  }

  /** The cache record of value `i` of `list`: found before, kept on its collection entry, else looked up. */
  #record(list: CollectedValues, i: number): CachedValue {
    const known = list.recs[i];
    if (known != null) return known;
    const e = list.ents[i];
    const rec = e == null ? this.#cache.get(list.vals[i] as string) : this.#entryRecord(e);
    list.recs[i] = rec;
    return rec;
  }

  /** The cache record of a collection entry's value, kept on the entry. */
  #entryRecord(e: Entry): CachedValue {
    let rec = e.cached;
    if (rec === null || !this.#cache.owns(rec)) {
      rec = this.#cache.get(e.value);
      e.cached = rec;
    }
    return rec;
  }

  #onMatch(name: string, value: string, actions: readonly { execute(h: ActionHost): void }[]): void {
    const d = this.data;
    d.matchedVar = value;
    d.matchedVarName = name;
    d.matchedVars.add(name, value);
    for (const a of actions) a.execute(this);
  }

  /**
   * Adds to `list` the values `target` selects, less the link's exclusions and `removals`, and
   * less the values known not to match link `memoIndex` (-1: none) or every link of `known`.
   */
  #collect(list: CollectedValues, target: Target, link: Rule, removals: readonly TargetSelector[] | null, memoIndex: number, known: LinkSet | null): void {
    const exclusions = link.exclusions;
    const variable = target.variable;
    if (variable === 'XML') {
      this.#collectXml(list, target, link);
      return;
    }
    const resolved = target.definition.resolve(this.data);
    if (resolved === null) {
      if (target.count) list.push(KIND_ALWAYS, target.countName, null, '0', null);
      return;
    }
    if (typeof resolved === 'string') {
      if (isExcluded(variable, NO_VALUE_NAME, exclusions, removals)) return;
      if (target.count) list.push(KIND_ALWAYS, target.countName, null, '1', null);
      else if (memoIndex < 0 && known === null) list.push(KIND_VALUE, variable, null, resolved, null);
      else {
        const rec = this.#cache.get(resolved);
        if (!isKnown(rec, memoIndex, known)) list.push(KIND_VALUE, variable, null, resolved, null, rec);
      }
      return;
    }
    // `VAR:/regex/` selects while iterating (no filtered copy: TX holds ~100 CRS variables).
    const entries = target.key !== undefined ? resolved.getLower(target.key) : resolved.all();
    const re = target.keyRegex;
    const filter = exclusions.length > 0 || removals !== null;
    let count = 0;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j] as Entry;
      if (re !== undefined && !re.test(e.key)) continue;
      if (filter && isExcluded(variable, e.key, exclusions, removals)) continue;
      if (target.count) count++;
      else if (memoIndex < 0 && known === null) list.push(KIND_ENTRY, variable, e.key, e.value, e);
      else {
        const rec = this.#entryRecord(e);
        if (!isKnown(rec, memoIndex, known)) list.push(KIND_ENTRY, variable, e.key, e.value, e, rec);
      }
    }
    if (target.count) list.push(KIND_ALWAYS, target.countName, null, String(count), null);
  }

  #collectXml(list: CollectedValues, target: Target, link: Rule): void {
    const doc = this.data.xmlDocument as XmlDocument | null;
    const query = target.xpath;
    let found: string[] = [];
    if (doc !== null && query !== undefined) found = evaluateXpath(xpathUsesNames(query) ? this.#namespaceView(doc, link) : doc, query);
    if (target.count) {
      list.push(KIND_ALWAYS, target.countName, null, String(found.length), null);
      return;
    }
    for (const v of found) list.push(KIND_ALWAYS, 'XML', null, v, null);
  }

  /** The document with names as `link`'s xmlns bindings see them, built once per set of bindings. */
  #namespaceView(doc: XmlDocument, link: Rule): XmlDocument {
    const views = (this.#xmlViews ??= new Map());
    let view = views.get(link.xmlnsKey);
    if (view === undefined) {
      view = namespaceView(doc, link.xmlns);
      views.set(link.xmlnsKey, view);
    }
    return view;
  }

  /**
   * Which ctl target removals concern `link` of rule `head`: 0 none, else a bit per removal
   * (#targetRemovals index) that picks the rule and names a variable the link reads, or
   * MASK_UNNAMED past MAX_MASKED_REMOVALS. Each removal's verdict per link is decided once
   * per ruleset (CRS's 941010 adds one to nearly every request, so per transaction it
   * would be decided again for every link evaluated).
   */
  #removalMask(link: Rule, head: Rule): number {
    const removals = this.#targetRemovals as TargetRemoval[];
    const index = link.linkIndex;
    let mask = 0;
    for (let i = 0; i < removals.length; i++) {
      const r = removals[i] as TargetRemoval;
      let verdict = r.verdicts[index] as number;
      if (verdict === 0) {
        verdict = this.#concerns(r, link, head) ? 1 : -1;
        r.verdicts[index] = verdict;
      }
      if (verdict < 0) continue;
      if (i >= MAX_MASKED_REMOVALS) return MASK_UNNAMED;
      mask |= 1 << i;
    }
    return mask;
  }

  /** Whether removal `r` picks rule `head` and names a variable `link` reads. */
  #concerns(r: TargetRemoval, link: Rule, head: Rule): boolean {
    const targets = link.targets;
    let reads = false;
    for (let j = 0; j < targets.length && !reads; j++) reads = (targets[j] as Target).variable === r.target.variable;
    return reads && this.#waf.selects(r.selector, head, r.picks as (selector: object, rule: Rule) => boolean);
  }

  /** The ctl target removals that concern `link` of rule `head`, or null when none does. */
  #removalsFor(link: Rule, head: Rule): TargetSelector[] | null {
    const mask = this.#removalMask(link, head);
    return mask === 0 ? null : this.#removalsOf(mask, head);
  }

  /** The target removals of a mask from #removalMask (MASK_UNNAMED: worked out for `head` each time). */
  #removalsOf(mask: number, head: Rule): TargetSelector[] {
    const removals = this.#targetRemovals as TargetRemoval[];
    if (mask === MASK_UNNAMED) {
      const out: TargetSelector[] = [];
      for (const r of removals) if (this.#waf.selects(r.selector, head, r.picks as (selector: object, rule: Rule) => boolean)) out.push(r.target);
      return out;
    }
    const lists = (this.#removalLists ??= new Map());
    let out = lists.get(mask);
    if (out === undefined) {
      out = [];
      for (let i = 0; i < removals.length; i++) if ((mask & (1 << i)) !== 0) out.push((removals[i] as TargetRemoval).target);
      lists.set(mask, out);
    }
    return out;
  }

  #addTargetRemoval(selector: object, picks: TargetRemoval['picks'], target: TargetSelector): void {
    // Masks name removals by position, and new removals only add positions: #removalLists stay valid.
    const verdicts = this.#waf.removalVerdicts(selector, target);
    (this.#targetRemovals ??= []).push({ selector, picks, target, verdicts });
  }

  // ---- MatchState / MacroSource -------------------------------------------------------

  setCapture(index: number, value: string): void {
    const key = CAPTURE_KEYS[index] ?? String(index);
    this.data.tx.setLower(key, key, value);
  }

  pcreLimitExceeded(): void {
    this.data.pcreLimitsExceeded = true;
  }

  lookup(variable: string, key: string | undefined): string {
    // Compiled macros name variables in upper case already; toUpperCase would scan them anyway.
    const name = Object.hasOwn(VARIABLES, variable) ? variable : variable.toUpperCase();
    if (name === 'RULE') return key === undefined ? '' : (this.#ruleInfo().get(key)[0]?.value ?? '');
    if (name === 'XML') return '';
    const def = Object.hasOwn(VARIABLES, name) ? VARIABLES[name] : undefined;
    if (def === undefined) return '';
    const r = def.resolve(this.data);
    if (r === null) return '';
    if (typeof r === 'string') return r;
    if (key === undefined) return r.all()[0]?.value ?? '';
    return r.first(key) ?? '';
  }

  ruleInfo(): VarCollection {
    return this.#ruleInfo();
  }

  #ruleInfo(): VarCollection {
    if (this.#ruleCollection !== null) return this.#ruleCollection;
    const c = new VarCollection('RULE');
    this.#ruleCollection = c;
    const r = this.#currentRule;
    if (r === null) return c;
    c.set('id', String(r.id));
    c.set('phase', String(r.phase));
    if (r.rev !== undefined) c.set('rev', r.rev);
    if (r.ver !== undefined) c.set('ver', r.ver);
    if (r.severity !== undefined) c.set('severity', String(r.severity));
    if (r.maturity !== undefined) c.set('maturity', String(r.maturity));
    if (r.accuracy !== undefined) c.set('accuracy', String(r.accuracy));
    // msg/logdata may reference RULE themselves: set raw text first, then expand.
    if (r.msg !== undefined) c.set('msg', r.msg.text);
    if (r.logdata !== undefined) c.set('logdata', r.logdata.text);
    if (r.msg !== undefined && !r.msg.isConstant) c.set('msg', r.msg.expand(this));
    if (r.logdata !== undefined && !r.logdata.isConstant) c.set('logdata', r.logdata.expand(this));
    return c;
  }

  // ---- ActionHost --------------------------------------------------------------------

  collection(name: string): VarCollection | undefined {
    const d = this.data;
    switch (name === 'TX' ? name : name.toUpperCase()) {
      case 'TX':
        return d.tx;
      case 'IP':
        return d.ip;
      case 'GLOBAL':
        return d.global;
      case 'SESSION':
        return d.session;
      case 'USER':
        return d.user;
      case 'RESOURCE':
        return d.resource;
      case 'ENV':
        return d.env;
      default:
        return undefined;
    }
  }

  removeRulesById(ranges: readonly IdRange[]): void {
    (this.#removedIds ??= []).push(...ranges);
  }

  removeRulesByTag(pattern: RegExp): void {
    (this.#removedTags ??= []).push(pattern);
  }

  removeRulesByMsg(pattern: RegExp): void {
    (this.#removedMsgs ??= []).push(pattern);
  }

  removeTargetsById(ranges: readonly IdRange[], target: TargetSelector): void {
    this.#addTargetRemoval(ranges, byId, target);
  }

  removeTargetsByTag(pattern: RegExp, target: TargetSelector): void {
    this.#addTargetRemoval(pattern, byTag, target);
  }

  removeTargetsByMsg(pattern: RegExp, target: TargetSelector): void {
    this.#addTargetRemoval(pattern, byMsg, target);
  }

  setRuleEngine(mode: RuleEngineMode): void {
    this.#ruleEngine = mode;
  }

  setRequestBodyProcessor(name: string): void {
    this.data.reqbodyProcessor = name;
  }

  setForceRequestBodyVariable(on: boolean): void {
    this.#forceRequestBodyVariable = on;
  }

  setRequestBodyAccess(on: boolean): void {
    this.#requestBodyAccess = on;
  }

  setRequestBodyLimit(limit: number): void {
    this.#requestBodyLimit = limit;
  }

  setResponseBodyAccess(on: boolean): void {
    this.#responseBodyAccess = on;
  }

  setResponseBodyLimit(limit: number): void {
    this.#responseBodyLimit = limit;
  }

  setAuditEngine(mode: AuditEngineMode): void {
    this.#auditEngine = mode;
  }

  setAuditLogParts(parts: string): void {
    if (parts.startsWith('+')) {
      for (const p of parts.slice(1)) if (!this.#auditLogParts.includes(p)) this.#auditLogParts += p;
    } else if (parts.startsWith('-')) {
      for (const p of parts.slice(1)) this.#auditLogParts = this.#auditLogParts.replaceAll(p, '');
    } else {
      this.#auditLogParts = parts;
    }
  }
}

/**
 * Whether one of the rule's tags matches a ctl pattern. ctl patterns are compiled once
 * at load, so the answer is memoized per (pattern, rule) across transactions.
 */
const tagMemo = new WeakMap<RegExp, WeakMap<Rule, boolean>>();

function tagMatches(pattern: RegExp, rule: Rule): boolean {
  let byRule = tagMemo.get(pattern);
  if (byRule === undefined) {
    byRule = new WeakMap();
    tagMemo.set(pattern, byRule);
  }
  let hit = byRule.get(rule);
  if (hit === undefined) {
    hit = rule.tags.some((t) => pattern.test(t));
    byRule.set(rule, hit);
  }
  return hit;
}

/** Whether `rec`'s value is known not to match link `memoIndex` (when >= 0), or every link of `all`. */
function isKnown(rec: CachedValue, memoIndex: number, all: LinkSet | null): boolean {
  return memoIndex >= 0 ? knownNoMatch(rec, memoIndex) : all !== null && knownNoMatchAll(rec, all);
}

function nameOf(variable: string, key: string | null): string {
  return key === null ? variable : `${variable}:${key}`;
}

function selectorMatches(s: { readonly variable: string; readonly key?: string | undefined; readonly keyRegex?: RegExp | undefined }, variable: string, key: string): boolean {
  if (s.variable !== variable) return false;
  // Selector keys are lower-cased at load; compare lengths first to avoid lower-casing every entry key.
  if (s.key !== undefined) return s.key.length === key.length && s.key === key.toLowerCase();
  if (s.keyRegex !== undefined) return s.keyRegex.test(key);
  return true;
}

/** Whether one of `removals` names `variable`. */
function removesVariable(removals: readonly TargetSelector[], variable: string): boolean {
  for (const r of removals) if (r.variable === variable) return true;
  return false;
}

function isExcluded(variable: string, key: string, exclusions: readonly Exclusion[], removals: readonly TargetSelector[] | null): boolean {
  for (const x of exclusions) if (selectorMatches(x, variable, key)) return true;
  if (removals !== null) for (const x of removals) if (selectorMatches(x, variable, key)) return true;
  return false;
}
