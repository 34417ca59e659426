/**
 * Forwarding an `Upgrade` request (WebSocket) over a raw TCP connection:
 * write the rewritten request head, read the upstream's response head
 * (bounded), let the mode see it (phase 3), then either relay the 101 and
 * splice the two sockets together, or relay the refusal and close.
 *
 * A raw socket rather than undici's upgrade(): undici turns a non-101 answer
 * into an error, and the client must get the upstream's real refusal.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Interruption } from '../engine/api.ts';
import type { Endpoint } from './balancer.ts';
import { clientResponseHeaders, hopByHopNames } from './headers.ts';
import type { UpstreamErrorKind } from './forward.ts';

const MAX_RESPONSE_HEAD = 64 * 1024;

export interface UpgradeRequest {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** Flat raw headers for upstream, Upgrade and `Connection: Upgrade` included. */
  readonly headers: readonly string[];
  /** Bytes the client sent after its request head. */
  readonly head: Buffer;
  readonly client: Duplex;
  /** Connect and response-head timeout. */
  readonly timeoutMs: number;
  /** Phase 3 on the upstream's answer: an interruption returned is enforced. */
  gate(status: number, rawHeaders: readonly string[]): Interruption | null;
  enforce(interruption: Interruption): void;
}

export type UpgradeOutcome =
  | { readonly kind: 'done'; readonly status: number }
  | { readonly kind: 'blocked'; readonly interruption: Interruption }
  | { readonly kind: 'failed'; readonly error: UpstreamErrorKind; readonly cause: Error }
  | { readonly kind: 'client-gone' };

export function forwardUpgrade(endpoint: Endpoint, request: UpgradeRequest): Promise<UpgradeOutcome> {
  return new Promise<UpgradeOutcome>((resolve) => {
    const url = new URL(endpoint.origin);
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const upstream: net.Socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
    const client = request.client;
    let connected = false;
    let settled = false;
    let received: Buffer = Buffer.alloc(0);
    endpoint.pending++;

    const settle = (outcome: UpgradeOutcome): void => {
      if (settled) return;
      settled = true;
      endpoint.pending--;
      upstream.setTimeout(0);
      upstream.off('data', onHeadData);
      client.off('close', onClientClose);
      resolve(outcome);
    };
    const fail = (error: UpstreamErrorKind, cause: Error): void => {
      upstream.destroy();
      settle({ kind: 'failed', error, cause });
    };
    const onClientClose = (): void => {
      upstream.destroy();
      settle({ kind: 'client-gone' });
    };
    client.once('close', onClientClose);

    upstream.setTimeout(request.timeoutMs, () => {
      const error = Object.assign(new Error(connected ? 'upstream response head timeout' : 'upstream connect timeout'), {
        code: connected ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_CONNECT_TIMEOUT',
      });
      fail(connected ? 'timeout' : 'connect', error);
    });
    upstream.once(secure ? 'secureConnect' : 'connect', () => {
      connected = true;
      let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
      for (let i = 0; i < request.headers.length; i += 2) head += `${request.headers[i]}: ${request.headers[i + 1]}\r\n`;
      upstream.write(`${head}\r\n`, 'latin1');
      if (request.head.length > 0) upstream.write(request.head);
    });
    upstream.on('error', (error: Error) => {
      if (settled) {
        client.destroy();
        return;
      }
      fail(connected ? 'reset' : 'connect', error);
    });
    upstream.on('close', () => {
      if (!settled) fail('reset', new Error('upstream closed before answering the upgrade'));
    });

    const onHeadData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_RESPONSE_HEAD) fail('other', new Error('upstream response head too large'));
        return;
      }
      upstream.off('data', onHeadData);
      upstream.pause();
      const parsed = parseResponseHead(received.subarray(0, end).toString('latin1'));
      if (!parsed) {
        fail('other', new Error('malformed upstream response head'));
        return;
      }
      const rest = received.subarray(end + 4);
      const interruption = request.gate(parsed.status, parsed.headers);
      if (interruption) {
        upstream.destroy();
        request.enforce(interruption);
        settle({ kind: 'blocked', interruption });
        return;
      }
      relay(parsed, rest);
    };
    upstream.on('data', onHeadData);

    const relay = (parsed: ParsedHead, rest: Buffer): void => {
      const switching = parsed.status === 101;
      // A refusal keeps its own framing headers (its body is relayed byte for byte) and ends the connection.
      const headers = switching ? clientResponseHeaders(parsed.headers, request.requestId, true) : refusalHeaders(parsed.headers, request.requestId);
      let out = `HTTP/1.1 ${parsed.status} ${parsed.reason}\r\n`;
      for (let i = 0; i < headers.length; i += 2) out += `${headers[i]}: ${headers[i + 1]}\r\n`;
      client.write(`${out}\r\n`, 'latin1');
      if (rest.length > 0) client.write(rest);
      settle({ kind: 'done', status: parsed.status });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.pipe(client);
      if (switching) client.pipe(upstream);
      else client.resume();
      upstream.resume();
    };
  });
}

interface ParsedHead {
  readonly status: number;
  readonly reason: string;
  readonly headers: string[];
}

function parseResponseHead(text: string): ParsedHead | null {
  const lines = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!match) return null;
  const headers: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) return null;
    headers.push(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), reason: (match[2] ?? '').replace(/[^\t\x20-\x7e\x80-\xff]/g, ''), headers };
}

function refusalHeaders(raw: readonly string[], requestId: string): string[] {
  const drop = new Set(hopByHopNames(raw));
  drop.delete('transfer-encoding');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (drop.has(lower) || lower.startsWith('proxy-') || lower === 'x-request-id') continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  out.push('Connection', 'close', 'X-Request-Id', requestId);
  return out;
}
