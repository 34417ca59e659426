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
 * Framing: node's llhttp parser runs in strict mode and already refuses
 * Content-Length together with Transfer-Encoding, duplicate or malformed
 * Content-Length, a Transfer-Encoding whose last coding is not chunked, bad
 * chunk sizes, bare LF line ends, obs-fold and whitespace before a colon.
 * Those arrive as 'clientError' and are answered here with a proper 400 that
 * carries a request id; the request never reaches a mode, so nothing is
 * forwarded. `insecureHTTPParser` stays off: its leniency is exactly what
 * request smuggling between picket and the upstream would need. A body whose
 * chunked framing breaks after its head was accepted is cut off: when the
 * engine inspects bodies nothing was forwarded yet; when bodies are streamed
 * the upstream request is aborted, never completed.
 *
 * Also refused with 400: requests without Host (HTTP/1.1) or with several,
 * HTTP versions other than 1.x, request-targets that are neither origin-form
 * nor absolute-form (so `OPTIONS *` too); CONNECT gets 405 (picket is not a
 * forward proxy).
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Limits, Mode as ModeName } from '../config/types.ts';
import { selectMode } from '../modes/index.ts';
import type { ModeServices } from '../modes/types.ts';
import { buildReport, emitReport } from '../modes/report.ts';
import type { ExchangeBase } from '../modes/types.ts';
import { normalizeAddress } from './addresses.ts';
import { markAnsweredByFront, sendRawStatus, sendStatus } from './block-response.ts';
import { rawValues } from './headers.ts';
import { requestIdFrom } from './request-id.ts';
import type { EngineOutcome } from './tx-adapter.ts';

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

/**
 * The request-target to forward, or null when it is not a form a reverse
 * proxy accepts. `OPTIONS *` (asking the server itself) is refused too: it
 * names no resource of the application, and undici cannot send it.
 */
export function forwardPathOf(target: string): string | null {
  if (target.startsWith('/')) return target;
  const match = /^https?:\/\/[^/?#]+([^#]*)$/i.exec(target);
  if (!match) return null;
  const rest = match[1]!;
  return rest.startsWith('/') ? rest : `/${rest}`;
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
  /** The id of the request being served on each connection, for answers written from 'clientError'. */
  const currentRequestId = new WeakMap<Socket | Duplex, string>();

  const track = (work: Promise<void>, id: string): void => {
    inFlight++;
    work
      .catch((error: unknown) => logger.error({ err: error, txId: id }, 'unhandled error in request handling'))
      .finally(() => {
        inFlight--;
        if (inFlight === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
  };

  /** Builds the exchange, or answers the request itself when it is malformed; returns the rejection status. */
  const accept = (req: IncomingMessage, id: string, expectContinue = false): ExchangeBase | number => {
    if (req.httpVersionMajor !== 1) return 400;
    const target = req.url ?? '';
    if (target.length > limits.uriLength) return 414;
    const hosts = rawValues(req.rawHeaders, 'host');
    if (hosts.length > 1 || (hosts.length === 0 && req.httpVersionMinor >= 1)) return 400;
    const forwardPath = forwardPathOf(target);
    if (forwardPath === null) return 400;
    const socket = req.socket;
    return {
      id,
      startedAt: Date.now(),
      req,
      peer: { address: normalizeAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 },
      local: { address: normalizeAddress(socket.localAddress ?? ''), port: socket.localPort ?? 0 },
      route: services.routeFor(req.headers.host, target),
      forwardPath,
      expectContinue,
      services,
    };
  };

  const reportRejected = (req: IncomingMessage | undefined, socket: Socket | Duplex, id: string, status: number): void => {
    const peer = socket as Socket;
    const base: ExchangeBase = {
      id,
      startedAt: Date.now(),
      req: req ?? ({ method: '', url: '', httpVersion: '1.1', rawHeaders: [] } as unknown as IncomingMessage),
      peer: { address: normalizeAddress(peer.remoteAddress ?? ''), port: peer.remotePort ?? 0 },
      local: { address: normalizeAddress(peer.localAddress ?? ''), port: peer.localPort ?? 0 },
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
    currentRequestId.set(req.socket, id);
    if (closing) res.shouldKeepAlive = false;
    const exchange = accept(req, id, expectContinue);
    if (typeof exchange === 'number') {
      sendStatus(res, exchange, id, { accept: req.headers.accept, close: true });
      reportRejected(req, req.socket, id, exchange);
      return;
    }
    const mode = selectMode(options.mode, exchange.route?.route);
    track(mode.handle({ ...exchange, res }), id);
  };

  server.on('request', guarded('request', onRequest(false)));
  // With a listener here node no longer answers `100 Continue` by itself: the mode does, after phase 1.
  server.on('checkContinue', guarded('request', onRequest(true)));

  server.on('upgrade', guarded('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    socket.on('error', () => socket.destroy());
    const exchange = accept(req, id);
    if (typeof exchange === 'number' || closing) {
      const status = typeof exchange === 'number' ? exchange : 503;
      sendRawStatus(socket, status, id, req.headers.accept);
      reportRejected(req, socket, id, status);
      return;
    }
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const mode = selectMode(options.mode, exchange.route?.route);
    track(mode.handleUpgrade({ ...exchange, socket, head }), id);
  }));

  server.on('connect', guarded('connect', (req: IncomingMessage, socket: Duplex) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    socket.on('error', () => socket.destroy());
    sendRawStatus(socket, 405, id, req.headers.accept);
    reportRejected(req, socket, id, 405);
  }));

  server.on('clientError', guarded('clientError', (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = clientErrorStatus(error, limits.uriLength);
    // A request already handed to a mode (its body broke or timed out) keeps
    // its id and is reported by the mode, with the status sent here.
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const id = (inProgress && currentRequestId.get(socket)) || requestIdFrom(undefined);
    logger.debug({ txId: id, code: error.code, status }, 'client error');
    if (inProgress?.req) markAnsweredByFront(inProgress.req, status);
    sendRawStatus(socket, status, id);
    if (!inProgress) reportRejected(undefined, socket, id, status);
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
