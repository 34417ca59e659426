/**
 * Answers the proxy writes itself: enforced interruptions (deny / drop /
 * redirect) and its own errors (400, 408, 413, 414, 431, 502, 504). The body
 * holds the status and the request id and nothing else: never the rule id,
 * message or matched data, which would teach an attacker how to get around them.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Interruption } from '../engine/api.ts';
import { REQUEST_ID_HEADER } from './headers.ts';

/** Requests the front answered itself after a mode had started on them (a body that timed out or broke). */
const answeredByFront = new WeakMap<IncomingMessage, number>();

export function markAnsweredByFront(req: IncomingMessage, status: number): void {
  answeredByFront.set(req, status);
}

/** The status the front sent for this request, if it had to answer it itself. */
export function answeredByFrontStatus(req: IncomingMessage): number | undefined {
  return answeredByFront.get(req);
}

export interface RenderedStatus {
  readonly contentType: string;
  readonly body: Buffer;
}

/** JSON when the client asks for it (`application/json`, `…+json`), plain text otherwise. */
export function renderStatus(status: number, requestId: string, accept?: string): RenderedStatus {
  if (accept !== undefined && /json/i.test(accept)) {
    return {
      contentType: 'application/json',
      body: Buffer.from(`${JSON.stringify({ status, requestId })}\n`),
    };
  }
  const reason = STATUS_CODES[status] ?? 'Error';
  return { contentType: 'text/plain; charset=utf-8', body: Buffer.from(`${status} ${reason}\nrequest id: ${requestId}\n`) };
}

export interface SendStatusOptions {
  readonly accept?: string | undefined;
  /** Close the connection after this answer (request body left unread, or a broken exchange). */
  readonly close?: boolean;
  readonly location?: string;
  /** Seconds, for 503. */
  readonly retryAfter?: number;
}

/**
 * Writes a complete status answer on `res` when nothing has been sent yet;
 * otherwise the connection is cut, since a half-sent response cannot be fixed.
 */
export function sendStatus(res: ServerResponse, status: number, requestId: string, options: SendStatusOptions = {}): void {
  if (res.headersSent || res.destroyed || res.writableEnded) {
    res.destroy();
    return;
  }
  const { contentType, body } = renderStatus(status, requestId, options.accept);
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
  };
  if (options.location !== undefined) headers.Location = options.location;
  if (options.retryAfter !== undefined) headers['Retry-After'] = options.retryAfter;
  if (options.close) {
    headers.Connection = 'close';
    res.shouldKeepAlive = false;
  }
  res.writeHead(status, headers);
  res.end(res.req?.method === 'HEAD' ? undefined : body);
  if (options.close) lingerThenClose(res);
}

/**
 * After an answer sent while the client may still be uploading: give the
 * client a moment to read it, then close. Destroying at once can turn the
 * unread upload into a TCP reset that discards our answer at the client.
 */
function lingerThenClose(res: ServerResponse): void {
  const socket = res.socket;
  res.once('finish', () => {
    if (!socket || socket.destroyed) return;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), 2000);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

/** The same answer as raw HTTP/1.1 bytes, for sockets outside node's response machinery. */
export function rawStatus(status: number, requestId: string, accept?: string, location?: string): string {
  const { contentType, body } = renderStatus(status, requestId, accept);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${body.length}\r\nCache-Control: no-store\r\n` +
    (location !== undefined ? `Location: ${location.replace(/[\r\n]/g, '')}\r\n` : '') +
    `${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body.toString('latin1')}`
  );
}

/** Writes a raw status answer and closes the socket (client errors, blocked upgrades). */
export function sendRawStatus(socket: Duplex | Socket, status: number, requestId: string, accept?: string, location?: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(Buffer.from(rawStatus(status, requestId, accept, location), 'latin1'));
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Answers an HTTP/0.9 request (a request line without a version): such a
 * response is the body alone, without status line or headers, and ends with
 * the connection. The body still names the status and the request id.
 */
export function sendHttp09Status(socket: Duplex | Socket, status: number, requestId: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(renderStatus(status, requestId).body);
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Enforces an interruption on a response that has not started:
 * deny → status page, redirect → Location, drop → the connection is cut.
 * `bodyPending` says the request body was not read to its end.
 */
export function enforceInterruption(
  res: ServerResponse,
  interruption: Interruption,
  requestId: string,
  bodyPending: boolean,
): void {
  const accept = res.req?.headers.accept;
  switch (interruption.action) {
    case 'drop':
      res.socket?.destroy();
      res.destroy();
      return;
    case 'redirect':
      sendStatus(res, interruption.status || 302, requestId, {
        accept,
        close: bodyPending,
        location: interruption.url ?? '/',
      });
      return;
    default:
      sendStatus(res, interruption.status || 403, requestId, { accept, close: bodyPending });
  }
}
