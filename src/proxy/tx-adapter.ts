/**
 * The only glue between HTTP and the engine: feeds one exchange to a
 * Transaction in ModSecurity's order and keeps what the report needs.
 *
 *   requestHead:  processConnection → processUri(raw target, method, HTTP/x.y)
 *                 → addRequestHeader per raw header (latin1 byte strings) → processRequestHeaders
 *   readRequestBody: appendRequestBody* → processRequestBody (always run; the
 *                 body is fed only when tx.requestBodyAccess)
 *   responseHead: addResponseHeader* → processResponseHeaders
 *   appendResponseBody* → processResponseBody, then finish(): processLogging
 *
 * After an interruption the remaining phases are skipped (api.ts) and only
 * processLogging runs.
 *
 * Engine failures: any exception from the engine is caught here, reported
 * through observer.engineError and logged at error level, and the session
 * turns itself off: the request goes on as if the engine had let it pass
 * (fail-open). A broken rule must not take the protected site down; the
 * error-level log and the 'error' verdict make the gap visible. Fail-closed
 * would hand any attacker who finds an input that crashes a rule a way to
 * deny service to everyone.
 */
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Interruption, MatchedRule, Transaction, Waf } from '../engine/api.ts';
import type { Observer } from '../observability/types.ts';
import type { ByteBudget } from './byte-budget.ts';
import type { Logger } from './types.ts';

export interface ConnectionInfo {
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly serverAddress: string;
  readonly serverPort: number;
}

export interface EngineOutcome {
  /** The interruption the engine decided (On), or would have (DetectionOnly). */
  readonly interruption: Interruption | null;
  readonly matchedRules: readonly MatchedRule[];
  readonly scores: { readonly inbound: number; readonly outbound: number };
  readonly auditRelevant: boolean;
  readonly engineMs: number;
  /** The engine threw during this transaction and was bypassed. */
  readonly failed: boolean;
}

const NO_RULES: readonly MatchedRule[] = [];

export class EngineSession {
  readonly id: string;
  readonly #observer: Observer;
  readonly #logger: Logger;
  readonly #waf: Waf | undefined;
  #tx: Transaction | null = null;
  #interruption: Interruption | null = null;
  #failed = false;
  #finished = false;
  #ms = 0;

  /** `waf` undefined means the ruleset could not be obtained: the session records the failure and passes everything. */
  constructor(waf: Waf | undefined, id: string, observer: Observer, logger: Logger) {
    this.id = id;
    this.#observer = observer;
    this.#logger = logger;
    this.#waf = waf;
    if (!waf) {
      this.#failed = true;
      return;
    }
    const start = performance.now();
    try {
      this.#tx = waf.newTransaction(id);
    } catch (error) {
      this.#fail(error, true);
    }
    this.#ms += performance.now() - start;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** The first interruption seen in any phase (enforced or not: the mode decides). */
  get interruption(): Interruption | null {
    return this.#interruption;
  }

  /** Whether request body bytes should be fed (false once the engine failed or interrupted). */
  get requestBodyAccess(): boolean {
    const tx = this.#live();
    if (!tx) return false;
    try {
      return tx.requestBodyAccess;
    } catch (error) {
      this.#fail(error, true);
      return false;
    }
  }

  /** Bytes of request body the engine inspects (SecRequestBodyLimit); the proxy buffers no more than this. */
  get requestBodyLimit(): number {
    return this.#waf?.settings.requestBodyLimit ?? 0;
  }

  get responseBodyAccess(): boolean {
    const tx = this.#live();
    if (!tx) return false;
    try {
      return tx.responseBodyAccess;
    } catch (error) {
      this.#fail(error, true);
      return false;
    }
  }

  get responseBodyLimit(): number {
    return this.#waf?.settings.responseBodyLimit ?? 0;
  }

  // Each phase method runs its engine calls inline (no closure per call: these
  // run several times per request) and ends with #settle, which keeps the time
  // and the first interruption. An exception disables the engine (#fail).

  /** Phase 1. `rawHeaders` is node's flat [name, value, …] array (latin1 strings). */
  requestHead(connection: ConnectionInfo, uri: string, method: string, protocol: string, rawHeaders: readonly string[]): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      tx.processConnection(connection.clientAddress, connection.clientPort, connection.serverAddress, connection.serverPort);
      tx.processUri(uri, method, protocol);
      for (let i = 0; i < rawHeaders.length; i += 2) tx.addRequestHeader(rawHeaders[i]!, rawHeaders[i + 1]!);
      interruption = tx.processRequestHeaders();
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  appendRequestBody(chunk: Buffer): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      interruption = tx.appendRequestBody(chunk);
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  /** Phase 2. */
  processRequestBody(): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      interruption = tx.processRequestBody();
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  /** Phase 3. */
  responseHead(status: number, protocol: string, rawHeaders: readonly string[]): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      for (let i = 0; i < rawHeaders.length; i += 2) tx.addResponseHeader(rawHeaders[i]!, rawHeaders[i + 1]!);
      interruption = tx.processResponseHeaders(status, protocol);
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  appendResponseBody(chunk: Buffer): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      interruption = tx.appendResponseBody(chunk);
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  /** Phase 4. */
  processResponseBody(): Interruption | null {
    const tx = this.#live();
    if (!tx) return null;
    const start = performance.now();
    let interruption: Interruption | null = null;
    try {
      interruption = tx.processResponseBody();
    } catch (error) {
      this.#fail(error, true);
    }
    return this.#settle(interruption, start);
  }

  /** Phase 5 and the figures for the report. Idempotent. */
  finish(): EngineOutcome {
    const tx = this.#tx;
    // Phase 5 runs even after an engine error, so the transaction is still logged; a second error is not reported again.
    if (tx && !this.#finished) {
      const start = performance.now();
      try {
        tx.processLogging();
      } catch (error) {
        this.#fail(error, true);
      }
      this.#ms += performance.now() - start;
    }
    this.#finished = true;
    if (tx) {
      // One pass over the transaction's getters; only if one of them throws
      // are they read one by one, each with its own fallback.
      try {
        return {
          interruption: this.#interruption ?? tx.interruption ?? tx.wouldInterrupt,
          matchedRules: tx.matchedRules,
          scores: {
            inbound: score(tx.txValue('blocking_inbound_anomaly_score')),
            outbound: score(tx.txValue('blocking_outbound_anomaly_score')),
          },
          auditRelevant: tx.auditRelevant,
          engineMs: this.#ms,
          failed: this.#failed,
        };
      } catch {
        // fall through
      }
    }
    const read = <T>(fn: (t: Transaction) => T, fallback: T): T => (tx ? this.#guard(() => fn(tx), fallback, false) : fallback);
    return {
      interruption: this.#interruption ?? read((t) => t.interruption ?? t.wouldInterrupt, null),
      matchedRules: read((t) => t.matchedRules, NO_RULES),
      scores: {
        inbound: score(read((t) => t.txValue('blocking_inbound_anomaly_score'), '')),
        outbound: score(read((t) => t.txValue('blocking_outbound_anomaly_score'), '')),
      },
      auditRelevant: read((t) => t.auditRelevant, false),
      engineMs: this.#ms,
      failed: this.#failed,
    };
  }

  /** The transaction while phases may still run. */
  #live(): Transaction | null {
    return this.#failed || this.#interruption || this.#finished ? null : this.#tx;
  }

  /** Ends a phase call: adds its time, keeps the first interruption; nothing once the engine failed. */
  #settle(interruption: Interruption | null, start: number): Interruption | null {
    this.#ms += performance.now() - start;
    if (this.#failed) return null;
    if (interruption) this.#interruption = interruption;
    return interruption;
  }

  /** Runs engine code, timing it; on an exception reports it once and bypasses the engine from then on. */
  #guard<T>(run: () => T, fallback: T, disable = true): T {
    const start = performance.now();
    try {
      return run();
    } catch (error) {
      this.#fail(error, disable);
      return fallback;
    } finally {
      this.#ms += performance.now() - start;
    }
  }

  /** Reports an engine exception once; `disable` bypasses the engine from then on. */
  #fail(error: unknown, disable: boolean): void {
    if (!this.#failed) {
      this.#observer.engineError(error, this.id);
      this.#logger.error({ err: error, txId: this.id }, 'engine error: request passed uninspected (fail-open)');
    }
    if (disable) this.#failed = true;
  }
}

function score(value: string): number {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : 0;
}

/** Whether a request carries a body: chunked, or a non-zero Content-Length (node has validated framing). */
export function hasRequestBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export interface RequestBodyResult {
  /** Interruption from phase 2 or from the body limit (Reject → 413). */
  readonly interruption: Interruption | null;
  /** The client went away before the body arrived. */
  readonly aborted: boolean;
  /** Part of the request body is still unread on the socket. */
  readonly pending: boolean;
  /** The process-wide body budget ran out: only a prefix was inspected. */
  readonly overBudget: boolean;
  /** Gives the bytes held for this body back to the budget (call when the exchange ends). */
  release(): void;
  /**
   * The body to forward: null (none), the whole body, or a stream of the
   * inspected prefix followed by the unread rest. Created on first call, so a
   * blocked request never starts reading the rest.
   */
  forwardBody(): Buffer | Readable | null;
}

/**
 * Phase 2 for a request without a body (hasRequestBody false). Synchronous,
 * so the common bodiless request costs no promise and no extra tick.
 */
export function withoutRequestBody(session: EngineSession): RequestBodyResult {
  const interruption = session.processRequestBody();
  return { interruption, aborted: false, pending: false, overBudget: false, release: nothing, forwardBody: noBody };
}

/**
 * Phase 2, reading the body first when the engine wants it.
 *
 * Memory is bounded by the inspection limit: at most `requestBodyLimit`
 * bytes (plus the chunk that crossed it) are held. Past the limit, Reject has
 * produced a 413 interruption; ProcessPartial goes on with the inspected
 * prefix, and the full body is still forwarded, the rest streamed from the
 * socket. Held bytes are also taken from the process-wide `budget`; when it
 * runs out, reading stops as at the limit and `overBudget` is set.
 */
export async function readRequestBody(session: EngineSession, req: IncomingMessage, budget?: ByteBudget): Promise<RequestBodyResult> {
  const nothingHeld = { overBudget: false, release: nothing };
  if (!hasRequestBody(req)) return withoutRequestBody(session);
  if (!session.requestBodyAccess) {
    const interruption = session.processRequestBody();
    return { interruption, aborted: false, pending: true, ...nothingHeld, forwardBody: once(() => streamRest(req, [])) };
  }

  const limit = session.requestBodyLimit;
  const chunks: Buffer[] = [];
  let size = 0;
  let taken = 0;
  const release = (): void => {
    budget?.give(taken);
    taken = 0;
  };
  let limitInterruption: Interruption | null = null;
  const outcome = await new Promise<'end' | 'limit' | 'budget' | 'aborted'>((resolve) => {
    const done = (result: 'end' | 'limit' | 'budget' | 'aborted'): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (budget) {
        if (!budget.take(chunk.length)) {
          // Kept for forwarding (it is in memory already) but not inspected.
          req.pause();
          done('budget');
          return;
        }
        taken += chunk.length;
      }
      limitInterruption = session.appendRequestBody(chunk);
      if (limitInterruption || size > limit) {
        req.pause();
        done('limit');
      }
    };
    const onEnd = (): void => done('end');
    const onAbort = (): void => done('aborted');
    const onClose = (): void => {
      if (!req.complete) done('aborted');
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });

  if (outcome === 'aborted') {
    release();
    return { interruption: null, aborted: true, pending: false, ...nothingHeld, forwardBody: noBody };
  }
  if (outcome === 'end') {
    const interruption = session.processRequestBody();
    const body = Buffer.concat(chunks, size);
    return { interruption, aborted: false, pending: false, overBudget: false, release, forwardBody: () => body };
  }
  const interruption = limitInterruption ?? session.processRequestBody();
  return { interruption, aborted: false, pending: true, overBudget: outcome === 'budget', release, forwardBody: once(() => streamRest(req, chunks)) };
}

/** The inspected prefix, then the rest of the request straight from the socket, with backpressure. */
function streamRest(req: IncomingMessage, prefix: readonly Buffer[]): Readable {
  const body = new PassThrough();
  for (const chunk of prefix) body.write(chunk);
  // pipe() does not destroy the source when `body` is destroyed (an upstream
  // failure): the client socket stays usable for our 502.
  req.pipe(body);
  const onAbort = (): void => {
    if (!req.complete) body.destroy(new Error('client aborted the request body'));
  };
  req.once('error', onAbort);
  req.once('close', onAbort);
  return body;
}

const nothing = (): void => undefined;
const noBody = (): null => null;

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
