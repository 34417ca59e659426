/**
 * Builds the one TransactionReport each request produces (observability
 * turns it into the audit log, logs and metrics).
 */
import type { Mode as ModeName } from '../config/types.ts';
import type { TransactionReport, Verdict } from '../observability/types.ts';
import type { EngineOutcome } from '../proxy/tx-adapter.ts';
import type { ExchangeBase, SocketAddress } from './types.ts';

export interface ReportFields {
  readonly mode: ModeName;
  readonly verdict: Verdict;
  readonly client: SocketAddress;
  readonly engine: EngineOutcome;
  readonly status?: number | undefined;
  readonly upstream?: string | undefined;
  /** The request-target the engine saw (mirror: the original URI). */
  readonly uri?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

export function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs = new Array<[string, string]>(raw.length >> 1);
  for (let i = 0; i < pairs.length; i++) pairs[i] = [raw[2 * i]!, raw[2 * i + 1]!];
  return pairs;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `YYYY-MM-DDTHH:MM:SS.` of the last second formatted (toISOString costs about a microsecond per request). */
let isoSecond = -1;
let isoPrefix = '';

/** Date#toISOString for a time in milliseconds, formatting the date part once per second. */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    const full = new Date(ms).toISOString();
    // Years 0000-9999 only: others have a sign and 6 digits (never a request time).
    if (full.length !== 24) return full;
    isoSecond = second;
    isoPrefix = full.slice(0, 20);
  }
  const millis = ms - second * 1000;
  return `${isoPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

export function buildReport(exchange: ExchangeBase, fields: ReportFields): TransactionReport {
  const { req } = exchange;
  const engine = fields.engine;
  const report: Mutable<TransactionReport> = {
    id: exchange.id,
    time: isoTime(exchange.startedAt),
    mode: fields.mode,
    verdict: fields.verdict,
    client: { address: fields.client.address, port: fields.client.port },
    request: {
      method: req.method ?? '',
      uri: fields.uri ?? req.url ?? '',
      protocol: `HTTP/${req.httpVersion}`,
      headers: fields.headers ?? headerPairs(req.rawHeaders),
    },
    matchedRules: engine.matchedRules,
    scores: engine.scores,
    engineMs: engine.engineMs,
    auditRelevant: engine.auditRelevant || engine.failed,
  };
  // Optional fields are left out, not set to undefined (assignments: no temporary objects to spread).
  if (fields.status !== undefined) report.status = fields.status;
  if (engine.interruption) {
    report.interruptionStatus = engine.interruption.status;
    report.interruptionRuleId = engine.interruption.ruleId;
  }
  if (exchange.route) report.service = exchange.route.route.service;
  if (fields.upstream !== undefined) report.upstream = fields.upstream;
  return report;
}

/** Hands a report to the observer; an observer bug is logged, never thrown into the request path. */
export function emitReport(exchange: ExchangeBase, report: TransactionReport): void {
  try {
    exchange.services.observer.transactionEnd(report);
  } catch (error) {
    exchange.services.logger.error({ err: error, txId: exchange.id }, 'observer failed on transactionEnd');
  }
}
