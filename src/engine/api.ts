/**
 * The engine's public contract: what the proxy, the CLI and the tests use.
 * The engine does no I/O on requests; the caller feeds it the parts of one
 * HTTP exchange in ModSecurity's order and acts on the interruptions it returns.
 *
 *   processConnection → processUri → addRequestHeader* → processRequestHeaders (phase 1)
 *   → appendRequestBody* → processRequestBody (phase 2)
 *   → addResponseHeader* → processResponseHeaders (phase 3)
 *   → appendResponseBody* → processResponseBody (phase 4)
 *   → processLogging (phase 5)
 *
 * Each process* call runs its phase once; calling it again returns the
 * interruption it already produced. After an interruption the caller skips to
 * processLogging.
 */

/** `SecRuleEngine`: On blocks, DetectionOnly records what would have been blocked, Off does nothing. */
export type RuleEngineMode = 'On' | 'DetectionOnly' | 'Off';

/** How the request should be disrupted. */
export interface Interruption {
  readonly action: 'deny' | 'drop' | 'redirect';
  /** HTTP status to answer with (deny: the rule's status, default 403; redirect: 302 unless given). */
  readonly status: number;
  readonly ruleId: number;
  /** Location for redirect. */
  readonly url?: string;
}

/** One rule that matched, as the audit log and metrics need it. Macros are already expanded. */
export interface MatchedRule {
  readonly id: number;
  readonly phase: number;
  readonly file: string;
  readonly line: number;
  readonly msg: string;
  readonly logdata: string;
  readonly severity?: number;
  readonly tags: readonly string[];
  readonly ver?: string;
  /** Full variable name as ModSecurity prints it, e.g. `ARGS:id` or `REQUEST_HEADERS:User-Agent`. */
  readonly matchedVar: string;
  readonly matchedValue: string;
  /** The rule's disruptive action, if any (`block` resolved through SecDefaultAction). */
  readonly disruptive?: string;
}

/**
 * A rule that failed at run time (an operator threw, e.g. a regex over its limits):
 * the rule counts as not matched and the transaction goes on; the proxy reports these.
 */
export interface RuleRuntimeError {
  readonly ruleId: number;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Engine settings from SecLang directives, which the proxy must honour. */
export interface EngineSettings {
  readonly ruleEngine: RuleEngineMode;
  readonly requestBodyAccess: boolean;
  readonly requestBodyLimit: number;
  readonly requestBodyNoFilesLimit: number;
  readonly requestBodyLimitAction: 'Reject' | 'ProcessPartial';
  readonly responseBodyAccess: boolean;
  readonly responseBodyLimit: number;
  readonly responseBodyLimitAction: 'Reject' | 'ProcessPartial';
  readonly responseBodyMimeTypes: readonly string[];
}

export interface Transaction {
  readonly id: string;
  processConnection(clientAddress: string, clientPort: number, serverAddress: string, serverPort: number): void;
  /** `uri` is the raw request-target as received (not decoded), `protocol` e.g. `HTTP/1.1`. */
  processUri(uri: string, method: string, protocol: string): void;
  /** Header names and values as received (byte strings). Repeated headers are added once each. */
  addRequestHeader(name: string, value: string): void;
  processRequestHeaders(): Interruption | null;
  /** Whether phase 2 wants the body: SecRequestBodyAccess, possibly changed by ctl in phase 1. */
  readonly requestBodyAccess: boolean;
  /**
   * Feed request body bytes. The engine keeps at most the configured limit;
   * past it, Reject sets a 413 interruption (returned here) and ProcessPartial ignores the rest.
   */
  appendRequestBody(chunk: Buffer): Interruption | null;
  processRequestBody(): Interruption | null;
  addResponseHeader(name: string, value: string): void;
  processResponseHeaders(status: number, protocol: string): Interruption | null;
  /** Whether phase 4 wants the response body: SecResponseBodyAccess and a listed MIME type. */
  readonly responseBodyAccess: boolean;
  appendResponseBody(chunk: Buffer): Interruption | null;
  processResponseBody(): Interruption | null;
  processLogging(): void;

  /** The interruption in force (On), or the first that would have been (DetectionOnly: `wouldInterrupt`). */
  readonly interruption: Interruption | null;
  readonly wouldInterrupt: Interruption | null;
  readonly matchedRules: readonly MatchedRule[];
  /** Whether the audit log should record this transaction (SecAuditEngine, auditlog/noauditlog, ctl:auditEngine). */
  readonly auditRelevant: boolean;
  /** Reads TX:key (case-insensitive), e.g. 'blocking_inbound_anomaly_score'; '' when unset. */
  txValue(key: string): string;
  /** Run-time rule errors so far, in order (optional so that test doubles need not provide it). */
  readonly errors?: readonly RuleRuntimeError[];
}

export interface Waf {
  readonly settings: EngineSettings;
  /** Number of compiled rules (chains count once). */
  readonly ruleCount: number;
  newTransaction(id: string): Transaction;
  /**
   * Sets the byte budget of what the engine remembers about inspected values across
   * transactions (value-cache.ts), starting empty; 0 turns it off. Verdicts do not change.
   */
  setValueCacheBudget(bytes: number): void;
  /** Empties the value cache, keeping its budget (after a warm-up, it then holds real traffic only). */
  forgetValues(): void;
}

/** Where rules come from: files (globs allowed) and inline directive text. */
export interface RuleSource {
  /** A file path: its directory resolves Include and @pmFromFile paths. */
  readonly file?: string;
  /** Inline text; `name` is used as its file name in errors. */
  readonly text?: string;
  readonly name?: string;
}
