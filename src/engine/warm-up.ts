/**
 * Engine warm-up: run synthetic traffic (warm-up-traffic.ts) through a freshly
 * compiled ruleset before it takes real requests.
 *
 * Why: V8 compiles the engine's functions and each rule's regexes only once
 * they run, so the first ~1,000 transactions after a start or reload cost
 * several times the steady state (docs/performance.md). During a rolling
 * deploy, the new replica would serve its first real requests at that cost.
 *
 * The warm-up changes no verdict: the engine keeps no state between
 * transactions but its value cache, which is emptied afterwards. It yields to
 * the event loop between slices, so health checks and signals are answered
 * while it runs (and a reload's warm-up does not stall live traffic).
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { Transaction, Waf } from './api.ts';
import { warmUpTraffic } from './warm-up-traffic.ts';
import type { WarmUpExchange } from './warm-up-traffic.ts';

/** Measured (in-process, CRS PL1): ~1,000 transactions bring a ruleset to its steady-state cost. */
export const DEFAULT_WARM_UP_TRANSACTIONS = 1500;
/** Longest stretch of synchronous engine work between event-loop turns. */
const SLICE_MS = 5;

export interface WarmUpOptions {
  /** Stop after this many milliseconds of wall time, whatever the count. */
  readonly budgetMs: number;
  readonly transactions?: number;
}

export interface WarmUpReport {
  readonly transactions: number;
  readonly ms: number;
  /** Transactions in which the engine threw (the first message is kept): a bug to report, not a reason to refuse to start. */
  readonly failures: number;
  readonly firstFailure?: string;
}

export async function warmUp(waf: Waf, options: WarmUpOptions): Promise<WarmUpReport> {
  const limit = options.transactions ?? DEFAULT_WARM_UP_TRANSACTIONS;
  const started = performance.now();
  const deadline = started + options.budgetMs;
  const next = warmUpTraffic();
  let done = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  while (done < limit && performance.now() < deadline) {
    const sliceEnd = Math.min(performance.now() + SLICE_MS, deadline);
    while (done < limit && performance.now() < sliceEnd) {
      try {
        exchange(waf.newTransaction(`warm-up-${done}`), next());
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
      done++;
    }
    await turn();
  }
  waf.forgetValues();
  return { transactions: done, ms: performance.now() - started, failures, ...(firstFailure !== undefined ? { firstFailure } : {}) };
}

/** One exchange in the proxy's order (proxy/tx-adapter.ts); an interruption skips to logging. */
function exchange(tx: Transaction, ex: WarmUpExchange): void {
  tx.processConnection('192.0.2.10', 40_000, '192.0.2.1', 8080);
  tx.processUri(ex.uri, ex.method, 'HTTP/1.1');
  for (const [name, value] of ex.headers) tx.addRequestHeader(name, value);
  if (tx.processRequestHeaders() === null && requestPhases(tx, ex) === null) {
    for (const [name, value] of ex.responseHeaders) tx.addResponseHeader(name, value);
    if (tx.processResponseHeaders(ex.status, 'HTTP/1.1') === null && tx.responseBodyAccess) {
      if (tx.appendResponseBody(ex.responseBody) === null) tx.processResponseBody();
    }
  }
  tx.processLogging();
}

function requestPhases(tx: Transaction, ex: WarmUpExchange): unknown {
  if (ex.body !== undefined && tx.requestBodyAccess) {
    const refused = tx.appendRequestBody(ex.body);
    if (refused !== null) return refused;
  }
  return tx.processRequestBody();
}
