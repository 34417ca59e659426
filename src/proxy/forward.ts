/**
 * Forwarding one request to an upstream with undici's dispatch API, in the
 * manner of undici's docs/examples/proxy/proxy.js: the handler relays the
 * response to the client with backpressure both ways (pause the upstream
 * while the client socket is full, resume on 'drain'; the request body is a
 * stream undici reads only as fast as the upstream takes it) and aborts the
 * upstream request when the client goes away.
 *
 * A ResponseGate (the mode's use of the engine) sees the response head
 * (phase 3) before anything is written, and, when it asks for it, up to
 * `bodyHold()` bytes of body (phase 4) before the response starts.
 *
 * forwardToRoute adds balancing: an endpoint that refuses the connection is
 * ejected, and an idempotent request whose body is not a stream is retried
 * once on another endpoint.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Interruption } from '../engine/api.ts';
import type { Observer } from '../observability/types.ts';
import type { Endpoint } from './balancer.ts';
import { clientResponseHeaders, rawToStrings } from './headers.ts';
import type { RouteEntry } from './upstreams.ts';

export interface ResponseGate {
  /** Phase 3. An interruption returned here is enforced; null lets the response through. */
  head(status: number, rawHeaders: readonly string[]): Interruption | null;
  /** Body bytes to hold for phase 4 before the response starts (read after head()); 0 streams at once. */
  bodyHold(): number;
  /**
   * Body bytes to show the engine while streaming (read after head(), used
   * when nothing is held): detect mode inspects without delaying the client.
   */
  bodyTee(): number;
  /** A body chunk, held or teed (Reject may interrupt here). */
  chunk(chunk: Buffer): Interruption | null;
  /** Phase 4: at the end of the body, or once the hold limit is passed (partial inspection). */
  end(): Interruption | null;
}

export interface ForwardRequest {
  readonly requestId: string;
  readonly method: string;
  /** origin-form request-target. */
  readonly path: string;
  /** Flat raw header array for upstream (already rewritten). */
  readonly headers: readonly string[];
  readonly body: Buffer | Readable | null;
  readonly res: ServerResponse;
  readonly gate: ResponseGate;
  /** Renders an interruption the gate returned (the response has not started). */
  readonly enforce: (interruption: Interruption) => void;
}

export type UpstreamErrorKind = 'connect' | 'timeout' | 'reset' | 'other';

export type ForwardOutcome =
  | { readonly kind: 'done'; readonly status: number }
  | { readonly kind: 'blocked'; readonly interruption: Interruption }
  | { readonly kind: 'failed'; readonly error: UpstreamErrorKind; readonly cause: Error; readonly responseStarted: boolean }
  | { readonly kind: 'client-gone' };

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export function classifyUpstreamError(error: unknown): UpstreamErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'other';
  if (CONNECT_ERRORS.has(code)) return 'connect';
  if (TIMEOUT_ERRORS.has(code)) return 'timeout';
  if (RESET_ERRORS.has(code)) return 'reset';
  return 'other';
}

class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

type State = 'waiting' | 'holding' | 'streaming' | 'finished';

/** One request's DispatchHandler: relays the upstream response to `res`. */
class RelayHandler implements Dispatcher.DispatchHandler {
  readonly #request: ForwardRequest;
  readonly #settle: (outcome: ForwardOutcome) => void;
  #controller: Dispatcher.DispatchController | null = null;
  #state: State = 'waiting';
  #status = 0;
  #statusText = '';
  #headers: readonly string[] = [];
  #hold = 0;
  #tee = 0;
  #held: Buffer[] = [];
  #heldSize = 0;
  #awaitingDrain = false;
  #clientGone = false;

  constructor(request: ForwardRequest, settle: (outcome: ForwardOutcome) => void) {
    this.#request = request;
    this.#settle = settle;
    // on/off rather than once: once wraps the listener in a new closure per request.
    request.res.on('close', this.#onClientClose);
  }

  #onClientClose = (): void => {
    if (this.#state === 'finished' || this.#request.res.writableFinished) return;
    this.#clientGone = true;
    this.#controller?.abort(new ClientGoneError());
    this.#finish({ kind: 'client-gone' });
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#clientGone) controller.abort(new ClientGoneError());
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusText?: string): void {
    if (this.#state === 'finished') return;
    const raw = Array.isArray(controller.rawHeaders) ? rawToStrings(controller.rawHeaders) : objectToRaw(headers);
    this.#status = statusCode;
    this.#statusText = statusText ?? '';
    this.#headers = raw;
    const interruption = this.#request.gate.head(statusCode, raw);
    if (interruption) {
      this.#block(controller, interruption);
      return;
    }
    const hasBody = this.#request.method !== 'HEAD';
    this.#hold = hasBody ? this.#request.gate.bodyHold() : 0;
    if (this.#hold > 0) {
      this.#state = 'holding';
      return;
    }
    this.#tee = hasBody ? this.#request.gate.bodyTee() : 0;
    if (this.#writeHead(controller)) this.#state = 'streaming';
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#state === 'streaming') {
      if (this.#tee > 0) {
        // Inspection only: an interruption here is recorded by the engine, not enforced.
        this.#request.gate.chunk(chunk.length > this.#tee ? chunk.subarray(0, this.#tee) : chunk);
        this.#tee = Math.max(0, this.#tee - chunk.length);
      }
      this.#write(controller, chunk);
      return;
    }
    if (this.#state !== 'holding') return;
    this.#held.push(chunk);
    this.#heldSize += chunk.length;
    const interruption = this.#request.gate.chunk(chunk) ?? (this.#heldSize > this.#hold ? this.#request.gate.end() : null);
    if (interruption) {
      this.#block(controller, interruption);
      return;
    }
    if (this.#heldSize > this.#hold) this.#release(controller);
  }

  onResponseEnd(controller: Dispatcher.DispatchController): void {
    if (this.#state === 'holding') {
      const interruption = this.#request.gate.end();
      if (interruption) {
        this.#block(controller, interruption);
        return;
      }
      if (!this.#release(controller)) return;
    } else if (this.#state === 'streaming') {
      // Phase 4 still runs for the record; the response is already on its way.
      this.#request.gate.end();
    } else {
      return;
    }
    this.#request.res.end();
    this.#finish({ kind: 'done', status: this.#status });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#state === 'finished') return;
    if (this.#clientGone || error instanceof ClientGoneError) {
      this.#finish({ kind: 'client-gone' });
      return;
    }
    const started = this.#request.res.headersSent;
    // A response cut in the middle cannot be repaired: close the client connection too.
    if (started) this.#request.res.destroy();
    this.#finish({ kind: 'failed', error: classifyUpstreamError(error), cause: error, responseStarted: started });
  }

  /** Writes the held head and body, then streams the rest. */
  #release(controller: Dispatcher.DispatchController): boolean {
    if (!this.#writeHead(controller)) return false;
    this.#state = 'streaming';
    const held = this.#held;
    this.#held = [];
    for (const chunk of held) this.#write(controller, chunk);
    return true;
  }

  #writeHead(controller: Dispatcher.DispatchController): boolean {
    const { res, requestId } = this.#request;
    try {
      const headers = clientResponseHeaders(this.#headers, requestId);
      if (this.#statusText) res.writeHead(this.#status, this.#statusText, headers);
      else res.writeHead(this.#status, headers);
      return true;
    } catch (error) {
      // node refused the upstream's status line or a header: a bad gateway.
      controller.abort(error as Error);
      this.#finish({ kind: 'failed', error: 'other', cause: error as Error, responseStarted: false });
      return false;
    }
  }

  #write(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const res = this.#request.res;
    if (res.write(chunk) || this.#awaitingDrain) return;
    this.#awaitingDrain = true;
    controller.pause();
    res.once('drain', () => {
      this.#awaitingDrain = false;
      controller.resume();
    });
  }

  #block(controller: Dispatcher.DispatchController, interruption: Interruption): void {
    this.#held = [];
    this.#state = 'finished';
    controller.abort(new Error('response blocked by the WAF'));
    this.#request.enforce(interruption);
    this.#settleOnce({ kind: 'blocked', interruption });
  }

  #finish(outcome: ForwardOutcome): void {
    if (this.#state === 'finished') return;
    this.#state = 'finished';
    this.#settleOnce(outcome);
  }

  #settled = false;
  #settleOnce(outcome: ForwardOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#request.res.off('close', this.#onClientClose);
    this.#settle(outcome);
  }
}

function objectToRaw(headers: Record<string, string | string[] | undefined>): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) raw.push(name, v);
  }
  return raw;
}

/** Sends one request to one endpoint and relays the answer. Never rejects. */
export function forward(endpoint: Endpoint, request: ForwardRequest): Promise<ForwardOutcome> {
  return new Promise<ForwardOutcome>((resolve) => {
    endpoint.pending++;
    const settle = (outcome: ForwardOutcome): void => {
      endpoint.pending--;
      resolve(outcome);
    };
    const handler = new RelayHandler(request, settle);
    try {
      endpoint.dispatcher.dispatch(
        {
          path: request.path,
          method: request.method,
          headers: request.headers as string[],
          body: request.body,
          // The client decides keep-alive towards us; upstream connections are ours to reuse.
          reset: false,
        },
        handler,
      );
    } catch (error) {
      handler.onResponseError(null, error as Error);
    }
  });
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export interface RouteForwardResult {
  readonly outcome: ForwardOutcome;
  /** The endpoint that answered (or failed last); undefined when the route has none. */
  readonly upstream?: string;
}

/**
 * Picks an endpoint and forwards. An idempotent request whose body was not
 * streamed is tried a second time when nothing came back:
 * - connection refused: the endpoint is ejected and another one is tried;
 * - connection reset before any response (typically a keep-alive connection
 *   the upstream closed just as it was reused): any endpoint, the same one included.
 */
export async function forwardToRoute(entry: RouteEntry, request: ForwardRequest, observer: Observer): Promise<RouteForwardResult | undefined> {
  const tried = new Set<Endpoint>();
  const retryable = IDEMPOTENT.has(request.method) && (request.body === null || Buffer.isBuffer(request.body));
  let exclude: ReadonlySet<Endpoint> = tried;
  let last: RouteForwardResult | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const endpoint = entry.balancer.pick(exclude);
    if (!endpoint) break;
    tried.add(endpoint);
    const outcome = await forward(endpoint, request);
    last = { outcome, upstream: endpoint.origin };
    if (outcome.kind !== 'failed') {
      endpoint.ejectedUntil = 0;
      return last;
    }
    observer.upstreamError(outcome.error, endpoint.origin);
    if (outcome.error === 'connect') entry.balancer.eject(endpoint);
    else if (outcome.error === 'reset') exclude = new Set();
    else return last;
    if (!retryable || outcome.responseStarted) return last;
  }
  return last;
}
