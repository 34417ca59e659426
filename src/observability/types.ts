/**
 * What the proxy reports about each transaction and event. observability/
 * turns these into the audit log, pino logs and Prometheus metrics; the proxy
 * never formats logs itself.
 */
import type { Mode } from '../config/types.ts';
import type { MatchedRule } from '../engine/api.ts';

/** allowed: forwarded; blocked: answered by the WAF; would-block: detect/mirror recorded an interruption. */
export type Verdict = 'allowed' | 'blocked' | 'would-block' | 'rejected' | 'error';

export interface TransactionReport {
  readonly id: string;
  /** ISO time the request arrived. */
  readonly time: string;
  readonly mode: Mode;
  readonly verdict: Verdict;
  readonly client: { readonly address: string; readonly port: number };
  readonly request: {
    readonly method: string;
    readonly uri: string;
    readonly protocol: string;
    /** Headers as received, in order (names as sent). */
    readonly headers: readonly (readonly [string, string])[];
  };
  /** Status the client got (inline/detect) or the upstream gave; absent in mirror mode. */
  readonly status?: number;
  readonly matchedRules: readonly MatchedRule[];
  /** CRS anomaly scores read from TX after the transaction. */
  readonly scores: { readonly inbound: number; readonly outbound: number };
  /** Interruption status the engine decided (also in detect/mirror, where it was not enforced). */
  readonly interruptionStatus?: number;
  readonly interruptionRuleId?: number;
  /** Time spent in the engine, milliseconds. */
  readonly engineMs: number;
  readonly service?: string;
  readonly upstream?: string;
  /** Whether the audit engine wants this one recorded (rules matched, or audit all). */
  readonly auditRelevant: boolean;
}

export interface Observer {
  transactionEnd(report: TransactionReport): void;
  upstreamError(kind: 'connect' | 'timeout' | 'reset' | 'other', upstream: string): void;
  mirrorQueueDepth(depth: number): void;
  mirrorDropped(): void;
  /** A rule or engine error at run time: logged, never fatal. */
  engineError(error: unknown, transactionId: string): void;
}
