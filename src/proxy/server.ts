/**
 * The node:http front: limits, request validation, the transaction id, and
 * handing each request to its mode.
 *
 * Limits (config.limits):
 * - headerBytes → node's maxHeaderSize; an overflow is answered 431 (414 when
 *   it is the request line that overflowed).
 * - uriLength → 414 for a longer request-target.
 * - headersTimeoutMs / requestTimeoutMs → node's headersTimeout / requestTimeout,
 *   answered 408 (checked every connectionsCheckingInterval, set from them).
 * - keepAliveTimeoutMs → idle keep-alive connections.
 *
 * Parsing choices (docs/http-parsing.md has the full table and reasons):
 * node's llhttp parser runs in strict mode (`insecureHTTPParser` stays off:
 * its leniency is what request smuggling between picket and the upstream
 * needs). It refuses Content-Length with Transfer-Encoding, duplicate or
 * malformed Content-Length, a last coding other than chunked, bad chunk
 * sizes, bare LF, obs-fold, whitespace before a colon, methods it does not
 * know, versions other than 1.x/0.9 and bytes outside its URL alphabet.
 * picket adds its own refusals after node parsed the head: several Host
 * fields, none in HTTP/1.1, an empty Host or one that is no host name
 * (request-target.ts), a '#' fragment or a target neither origin- nor
 * absolute-form (`OPTIONS *` too), a target over uriLength (414), HTTP/2+
 * (505), CONNECT (405, 400 without host:port: picket is no forward proxy).
 *
 * Refuse but inspect: every refused request is still shown to the engine
 * before it is answered (modes/refusal.ts): what node parsed, or what the
 * lenient reader (lenient-request.ts) recovers from err.rawPacket. Nothing
 * refused is ever forwarded. Node's refusals answer 400, 501 for an unknown
 * method, 505 for HTTP/2+; a request line without a version (HTTP/0.9) gets
 * a 0.9 answer (body only); inline mode answers an interruption instead when
 * a rule blocks. Limits: err.rawPacket is the chunk in which parsing failed,
 * so a head split over several TCP reads is inspected only from that chunk
 * (when it starts no request line, the request is refused uninspected).
 *
 * A malformed request pipelined after a complete one waits until the
 * response in progress has finished, then gets its refusal and the
 * connection closes. A body whose chunked framing breaks after its head was
 * accepted is cut off: when the engine inspects bodies nothing was
 * forwarded yet; when bodies are streamed the upstream request is aborted,
 * never completed. Absolute-form targets (RFC 9112 §3.2.2, which a server
 * MUST accept) are routed on their authority, which is also sent upstream as
 * Host; the engine sees the target as received. HTTP/1.0 without Host is valid.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Limits, Mode as ModeName } from '../config/types.ts';
import { selectMode } from '../modes/index.ts';
import type { ModeServices } from '../modes/types.ts';
import { buildReport, emitReport } from '../modes/report.ts';
import type { Exchange, ExchangeBase, SocketAddress, UpgradeExchange } from '../modes/types.ts';
import { normalizeAddress } from './addresses.ts';
import { inspectRefusal } from '../modes/refusal.ts';
import type { RefusedHead, Refusal } from '../modes/refusal.ts';
import type { Interruption } from '../engine/api.ts';
import { enforceInterruption, markAnsweredByFront, sendHttp09Status, sendRawStatus, sendStatus } from './block-response.ts';
import { parseLenientRequest } from './lenient-request.ts';
import type { LenientRequest } from './lenient-request.ts';
import { requestIdFrom } from './request-id.ts';
import { absoluteAuthority, forwardPathOf, validConnectTarget, validHost } from './request-target.ts';
import type { EngineOutcome } from './tx-adapter.ts';

export { forwardPathOf } from './request-target.ts';

export interface FrontServer {
  readonly server: http.Server;
  /**
   * Stops accepting, lets in-flight requests (and queued mirror copies)
   * finish for up to graceMs, then cuts what is left. Established WebSocket
   * sessions are closed as soon as the HTTP requests are done: they rarely
   * end on their own, and their clients reconnect to another replica.
   */
  close(graceMs: number): Promise<void>;
}

const NO_ENGINE: EngineOutcome = {
  interruption: null,
  matchedRules: [],
  scores: { inbound: 0, outbound: 0 },
  auditRelevant: false,
  engineMs: 0,
  failed: false,
};

/** Node options derived from the limits. */
export function serverOptions(limits: Limits): http.ServerOptions {
  const requestTimeout = limits.requestTimeoutMs;
  // node requires headersTimeout <= requestTimeout (when the latter is set).
  const headersTimeout = requestTimeout > 0 ? Math.min(limits.headersTimeoutMs, requestTimeout) : limits.headersTimeoutMs;
  const shortest = Math.min(headersTimeout || Infinity, requestTimeout || Infinity);
  return {
    maxHeaderSize: limits.headerBytes,
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Timeouts are only noticed when node checks; check often enough for the shortest one.
    connectionsCheckingInterval: Number.isFinite(shortest) ? Math.max(50, Math.min(1000, Math.floor(shortest / 4))) : 30_000,
    insecureHTTPParser: false,
    // A missing Host gets our own 400 (with a request id), not node's bare one.
    requireHostHeader: false,
  };
}

/** 414 when the overflow happened in the request line, 431 otherwise. */
function overflowStatus(rawPacket: unknown, uriLength: number): number {
  if (!Buffer.isBuffer(rawPacket)) return 431;
  const lineEnd = rawPacket.indexOf('\r\n');
  const startsLikeRequest = /^[A-Z]+ \S/.test(rawPacket.subarray(0, 32).toString('latin1'));
  if (startsLikeRequest && (lineEnd < 0 || lineEnd > uriLength)) return 414;
  return 431;
}

export function clientErrorStatus(error: Error & { code?: string; rawPacket?: unknown }, uriLength: number): number {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return overflowStatus(error.rawPacket, uriLength);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

/** Bytes of a refused request's raw packet the lenient reader looks at. */
const INSPECT_BYTES = 256 * 1024;

/**
 * The status for a request node's parser refused, given what the lenient
 * reader made of it: 501 for a method picket does not implement (RFC 9110
 * §9.1), 505 for a well-formed HTTP version above 1.x (§15.6.6), else the
 * status of the error itself (400, or 414/431/408): a malformed version,
 * `HTTP/0.x` included (0.9 has no version token), is a malformed request.
 */
export function refusalStatus(error: Error & { code?: string; rawPacket?: unknown }, parsed: LenientRequest | null, uriLength: number): number {
  const status = clientErrorStatus(error, uriLength);
  if (status !== 400 || !parsed) return status;
  if (!http.METHODS.includes(parsed.method)) return 501;
  if (/^HTTP\/[2-9](\.\d)?$/.test(parsed.protocol)) return 505;
  return 400;
}

/**
 * The request in a raw packet that made node's parser fail. Requests in the
 * same packet that node had already accepted (pipelined before it) are
 * skipped: they end before the byte where parsing failed.
 */
export function failedRequestIn(raw: Buffer, errorAt: number | undefined): LenientRequest | null {
  let start = 0;
  let parsed = parseLenientRequest(raw, INSPECT_BYTES);
  while (parsed?.end && errorAt !== undefined && start + parsed.end <= errorAt) {
    start += parsed.end;
    parsed = parseLenientRequest(raw.subarray(start), INSPECT_BYTES);
  }
  return parsed;
}

function headerValue(raw: readonly string[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) return raw[i + 1];
  return undefined;
}

function headOf(req: IncomingMessage): RefusedHead {
  return { method: req.method ?? '', target: req.url ?? '', protocol: `HTTP/${req.httpVersion}`, rawHeaders: req.rawHeaders };
}

function interruptionStatus(interruption: Interruption): number | undefined {
  if (interruption.action === 'drop') return undefined;
  return interruption.status || (interruption.action === 'redirect' ? 302 : 403);
}

/** Writes a refusal on node's response object (the head was parsed by node); the connection closes after it. */
function answerOnResponse(res: ServerResponse, id: string): Refusal['answer'] {
  return (status, interruption) => {
    if (interruption) {
      enforceInterruption(res, interruption, id, true);
      return interruptionStatus(interruption);
    }
    sendStatus(res, status, id, { accept: res.req?.headers.accept, close: true });
    return status;
  };
}

/** Writes a refusal as raw bytes (no response object: parse errors, upgrades, CONNECT) and closes. */
function answerOnSocket(socket: Socket | Duplex, id: string, accept: string | undefined, http09 = false): Refusal['answer'] {
  return (status, interruption) => {
    if (interruption?.action === 'drop') {
      socket.destroy();
      return undefined;
    }
    const sent = interruption ? interruptionStatus(interruption)! : status;
    if (http09) sendHttp09Status(socket, sent, id);
    else sendRawStatus(socket, sent, id, accept, interruption?.action === 'redirect' ? interruption.url ?? '/' : undefined);
    return sent;
  };
}

/** What picket keeps on each client connection (a symbol property: cheaper than a WeakMap lookup per request). */
interface ConnectionState {
  /** Addresses are fixed for a connection: normalized once, shared by its requests. */
  readonly peer: SocketAddress;
  readonly local: SocketAddress;
  /** The id of the request being served, for answers written from 'clientError'. */
  requestId: string;
}

const CONNECTION = Symbol('picket.connection');
type TrackedSocket = (Socket | Duplex) & { [CONNECTION]?: ConnectionState };

function connectionOf(socket: Socket | Duplex): ConnectionState {
  const tracked = socket as TrackedSocket;
  let state = tracked[CONNECTION];
  if (state === undefined) {
    const s = socket as Socket;
    state = {
      peer: { address: normalizeAddress(s.remoteAddress ?? ''), port: s.remotePort ?? 0 },
      local: { address: normalizeAddress(s.localAddress ?? ''), port: s.localPort ?? 0 },
      requestId: '',
    };
    // Before the socket is connected (never for a request) the addresses are unknown: do not keep those.
    if (s.remoteAddress !== undefined) tracked[CONNECTION] = state;
  }
  return state;
}

export interface FrontServerOptions {
  readonly mode: ModeName;
  readonly limits: Limits;
  readonly services: ModeServices;
}

export function createFrontServer(options: FrontServerOptions): FrontServer {
  const { limits, services } = options;
  const { logger } = services;
  const server = http.createServer(serverOptions(limits));
  let inFlight = 0;
  let closing = false;
  let idleWaiters: (() => void)[] = [];
  const upgraded = new Set<Duplex>();

  const settled = (): void => {
    inFlight--;
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  // One then() per request (not catch().finally(), two promises and closures more).
  const track = (work: Promise<void>, id: string): void => {
    inFlight++;
    work.then(settled, (error: unknown) => {
      try {
        logger.error({ err: error, txId: id }, 'unhandled error in request handling');
      } finally {
        settled();
      }
    });
  };

  /**
   * The status picket refuses a request head with, or 0 when it is accepted
   * (the caller inspects a refused one first: refusal.ts). node reads `GET /`
   * and `GET / HTTP/0.9` alike as 0.9 and parses header fields after them:
   * 400 with a status line. Versions above 1.x: 505.
   */
  const refusalOf = (req: IncomingMessage, target: string): number => {
    if (req.httpVersionMajor === 0) return 400;
    if (req.httpVersionMajor !== 1) return 505;
    if (target.length > limits.uriLength) return 414;
    const raw = req.rawHeaders;
    let hosts = 0;
    let host = '';
    for (let i = 0; i < raw.length; i += 2) {
      // Length first: latin1 names keep their length when lower-cased, and most differ in it.
      if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') {
        hosts++;
        host = raw[i + 1]!;
      }
    }
    if (hosts > 1 || (hosts === 0 && req.httpVersionMinor >= 1)) return 400;
    // An empty Host, or one with characters no host name has (NUL, '%', controls…), is refused, not routed.
    if (hosts === 1 && !validHost(host)) return 400;
    return 0;
  };

  /** The route for an accepted head; absolute-form names the host instead of Host (RFC 9112 §3.2.2). */
  const routeOf = (req: IncomingMessage, target: string, authority: string | undefined): ExchangeBase['route'] =>
    services.routeFor(authority ?? req.headers.host, target);

  const addresses = (socket: Socket | Duplex): Pick<Refusal, 'peer' | 'local'> => connectionOf(socket);

  /** Refuse but inspect (modes/refusal.ts): the engine sees the request, then the refusal is answered. */
  const refuse = (refusal: Omit<Refusal, 'services' | 'globalMode'>): void => {
    track(inspectRefusal({ ...refusal, services, globalMode: options.mode }), refusal.id);
  };

  /** A request node's parser refused: inspect what the lenient reader recovers, answer, report. */
  const refuseRaw = (error: Error & { code?: string; rawPacket?: unknown; bytesParsed?: unknown }, socket: Socket): void => {
    const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : null;
    const parsed = raw ? failedRequestIn(raw, typeof error.bytesParsed === 'number' ? error.bytesParsed : undefined) : null;
    const status = refusalStatus(error, parsed, limits.uriLength);
    const id = requestIdFrom(parsed ? headerValue(parsed.rawHeaders, 'x-request-id') : undefined);
    logger.debug({ txId: id, code: error.code, status }, 'client error');
    if (!parsed) {
      sendRawStatus(socket, status, id);
      reportRejected(undefined, socket, id, status);
      return;
    }
    refuse({
      id,
      ...addresses(socket),
      head: parsed,
      body: parsed.framing === 'ambiguous' ? null : parsed.body,
      status,
      answer: answerOnSocket(socket, id, headerValue(parsed.rawHeaders, 'accept'), !parsed.versioned),
    });
  };

  const reportRejected = (req: IncomingMessage | undefined, socket: Socket | Duplex, id: string, status: number): void => {
    const connection = connectionOf(socket);
    const base: ExchangeBase = {
      id,
      startedAt: Date.now(),
      req: req ?? ({ method: '', url: '', httpVersion: '1.1', rawHeaders: [] } as unknown as IncomingMessage),
      peer: connection.peer,
      local: connection.local,
      route: undefined,
      forwardPath: '/',
      expectContinue: false,
      services,
    };
    emitReport(base, buildReport(base, { mode: options.mode, verdict: 'rejected', client: base.peer, engine: NO_ENGINE, status }));
  };

  /** Listener errors would be uncaught exceptions (a crash): log them and cut that one connection. */
  const guarded = <A extends unknown[]>(event: string, listener: (...args: A) => void) => (...args: A): void => {
    try {
      listener(...args);
    } catch (error) {
      logger.error({ err: error, event }, 'proxy listener failed');
      const target = args[1] as { destroy?: () => void } | undefined;
      target?.destroy?.();
    }
  };

  const onRequest = (expectContinue: boolean) => (req: IncomingMessage, res: ServerResponse): void => {
    const id = requestIdFrom(req.headers['x-request-id']);
    const connection = connectionOf(req.socket);
    connection.requestId = id;
    if (closing) res.shouldKeepAlive = false;
    const target = req.url ?? '';
    const status = refusalOf(req, target);
    const forwardPath = status === 0 ? forwardPathOf(target) : null;
    if (forwardPath === null) {
      // A client waiting for `100 Continue` is refused without uploading: no body to inspect then.
      refuse({ id, ...addresses(req.socket), head: headOf(req), body: expectContinue ? null : req, status: status || 400, answer: answerOnResponse(res, id) });
      return;
    }
    const authority = target.charCodeAt(0) === 0x2f /* '/' */ ? undefined : absoluteAuthority(target);
    const exchange: Exchange = {
      id,
      startedAt: Date.now(),
      req,
      peer: connection.peer,
      local: connection.local,
      route: routeOf(req, target, authority),
      forwardPath,
      absoluteHost: authority,
      expectContinue,
      services,
      res,
    };
    const mode = selectMode(options.mode, exchange.route?.route);
    track(mode.handle(exchange), id);
  };

  server.on('request', guarded('request', onRequest(false)));
  // With a listener here node no longer answers `100 Continue` by itself: the mode does, after phase 1.
  server.on('checkContinue', guarded('request', onRequest(true)));

  server.on('upgrade', guarded('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '';
    const refused = refusalOf(req, target);
    const forwardPath = refused === 0 ? forwardPathOf(target) : null;
    if (forwardPath === null || closing) {
      const status = forwardPath === null ? refused || 400 : 503;
      refuse({ id, ...addresses(socket), head: headOf(req), body: null, status, answer: answerOnSocket(socket, id, req.headers.accept) });
      return;
    }
    const connection = connectionOf(socket);
    const authority = absoluteAuthority(target);
    const exchange: UpgradeExchange = {
      id,
      startedAt: Date.now(),
      req,
      peer: connection.peer,
      local: connection.local,
      route: routeOf(req, target, authority),
      forwardPath,
      absoluteHost: authority,
      expectContinue: false,
      services,
      socket,
      head,
    };
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const mode = selectMode(options.mode, exchange.route?.route);
    track(mode.handleUpgrade(exchange), id);
  }));

  server.on('connect', guarded('connect', (req: IncomingMessage, socket: Duplex) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    socket.on('error', () => socket.destroy());
    // picket is no forward proxy: a well-formed CONNECT is 405, one without host:port 400.
    const status = validConnectTarget(req.url ?? '') ? 405 : 400;
    refuse({ id, ...addresses(socket), head: headOf(req), body: null, status, answer: answerOnSocket(socket, id, req.headers.accept) });
  }));

  server.on('clientError', guarded('clientError', (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!inProgress) {
      refuseRaw(error, socket);
      return;
    }
    if (inProgress.req?.complete) {
      // The request being served arrived whole: it is a later, pipelined
      // request on this connection that is malformed. The current response
      // finishes first, then the refusal follows and the connection closes.
      let done = false;
      const later = (): void => {
        if (done) return;
        done = true;
        refuseRaw(error, socket);
      };
      if (inProgress.writableFinished) later();
      inProgress.once('finish', later);
      inProgress.once('close', later);
      return;
    }
    // The body of the request a mode is handling broke or timed out: it keeps
    // its id and is reported by the mode, with the status sent here.
    const status = clientErrorStatus(error, limits.uriLength);
    if (inProgress.headersSent) {
      socket.destroy();
      return;
    }
    const id = (socket as TrackedSocket)[CONNECTION]?.requestId || requestIdFrom(undefined);
    logger.debug({ txId: id, code: error.code, status }, 'client error');
    if (inProgress.req) markAnsweredByFront(inProgress.req, status);
    sendRawStatus(socket, status, id);
  }));

  const close = async (graceMs: number): Promise<void> => {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all([drained, services.mirrorQueue.drain(graceMs)]), grace]);
    clearTimeout(timer);
    server.closeAllConnections();
    for (const socket of upgraded) socket.destroy();
    await stopped;
  };

  return { server, close };
}
