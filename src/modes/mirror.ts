/**
 * mirror: picket as the target of a mirroring proxy (nginx `mirror`, Envoy /
 * Istio request mirroring, Traefik mirroring). Each request is answered at
 * once with 204 and never forwarded; its copy is inspected later from a
 * bounded queue (mirror-queue.ts), and the report says 'would-block' for what
 * inline mode would have blocked.
 *
 * The mirroring proxy is the TCP peer, so the original client and URI come
 * from its headers, believed only when the peer is in config.mirror.sources:
 * client from X-Forwarded-For (rightmost address that is not itself a source
 * or trusted proxy), else X-Real-IP; request-target from X-Original-URI
 * (nginx, set in its config), X-Envoy-Original-Path (Envoy/Istio) or
 * X-Forwarded-Uri (Traefik), else the mirrored request's own target. The
 * header that carried the URI is removed from what the engine sees: the
 * client never sent it. Envoy appends `-shadow` to the Host of mirrored
 * requests; it is removed.
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { clientFromForwarded, normalizeAddress } from '../proxy/addresses.ts';
import type { AddressSet } from '../proxy/addresses.ts';
import type { ByteBudget } from '../proxy/byte-budget.ts';
import { REQUEST_ID_HEADER } from '../proxy/headers.ts';
import { hasRequestBody } from '../proxy/tx-adapter.ts';
import { buildReport, emitReport, headerPairs } from './report.ts';
import { connectionInfo, openSession } from './session.ts';
import type { Exchange, ExchangeBase, Mode, ModeServices, SocketAddress, UpgradeExchange } from './types.ts';

const ORIGINAL_URI_HEADERS = ['x-original-uri', 'x-envoy-original-path', 'x-forwarded-uri'];

export interface MirrorView {
  readonly client: SocketAddress;
  /** The original request-target. */
  readonly uri: string;
  /** Host header without Envoy's `-shadow`. */
  readonly host: string | undefined;
  /** Headers as the engine should see them. */
  readonly rawHeaders: readonly string[];
}

/** `app.example-shadow` → `app.example`, `app.example-shadow:8080` → `app.example:8080`. */
export function stripShadow(host: string): string {
  return host.replace(/-shadow(:\d+)?$/i, '$1');
}

function wellFormedTarget(value: string, maxLength: number): boolean {
  return value.length > 0 && value.length <= maxLength && value.startsWith('/') && !/[\x00-\x20\x7f]/.test(value);
}

/** What the mirrored request says about the original one (see the module header for the trust rule). */
export function mirrorView(req: IncomingMessage, peer: SocketAddress, services: ModeServices): MirrorView {
  const raw = [...req.rawHeaders];
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'host') continue;
    raw[i + 1] = stripShadow(raw[i + 1]!);
    host ??= raw[i + 1];
  }
  if (!services.mirrorSources.has(peer.address)) {
    return { client: peer, uri: req.url ?? '/', host, rawHeaders: raw };
  }
  const proxies: AddressSet = {
    empty: false,
    has: (a) => services.mirrorSources.has(a) || services.trustedProxies.has(a),
  };
  let client: SocketAddress = peer;
  const forwarded = clientFromForwarded(req.headers['x-forwarded-for'], proxies);
  const realIp = req.headers['x-real-ip'];
  if (forwarded) client = { address: forwarded, port: 0 };
  else if (typeof realIp === 'string' && isIP(realIp.trim()) !== 0) client = { address: normalizeAddress(realIp.trim()), port: 0 };

  let uri = req.url ?? '/';
  const maxLength = services.config.limits.uriLength;
  for (const name of ORIGINAL_URI_HEADERS) {
    const index = raw.findIndex((value, i) => i % 2 === 0 && value.toLowerCase() === name);
    if (index < 0 || !wellFormedTarget(raw[index + 1]!, maxLength)) continue;
    uri = raw[index + 1]!;
    raw.splice(index, 2);
    break;
  }
  return { client, uri, host, rawHeaders: raw };
}

interface CollectedBody {
  readonly chunks: Buffer[];
  readonly size: number;
  /** Bytes taken from the body budget, given back after inspection. */
  readonly taken: number;
}

/**
 * Reads the body, keeping at most `keep` bytes and discarding the rest, so
 * that the engine still learns that the body went past its limit. A body cut
 * off by the sender (a mirror that gave up) is inspected as far as it came:
 * the request head alone is still worth a report.
 */
function collectBody(req: IncomingMessage, keep: number, budget: ByteBudget): Promise<CollectedBody> {
  if (!hasRequestBody(req)) return Promise.resolve({ chunks: [], size: 0, taken: 0 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let full = false;
    const done = (): void => resolve({ chunks, size, taken: size });
    req.on('data', (chunk: Buffer) => {
      if (size >= keep || full) return;
      const wanted = Math.min(chunk.length, keep - size);
      // Out of budget: the copy is inspected with what it holds so far.
      const granted = budget.takeUpTo(wanted);
      if (granted < wanted) full = true;
      if (granted === 0) return;
      // A slice is copied so that it does not keep the whole socket chunk alive.
      chunks.push(granted === chunk.length ? chunk : Buffer.from(chunk.subarray(0, granted)));
      size += granted;
    });
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
  });
}

function inspect(exchange: ExchangeBase, view: MirrorView, body: CollectedBody): void {
  const { req } = exchange;
  const session = openSession(exchange);
  session.requestHead(connectionInfo(view.client, exchange.local), view.uri, req.method ?? 'GET', `HTTP/${req.httpVersion}`, view.rawHeaders);
  if (session.requestBodyAccess) {
    for (const chunk of body.chunks) if (session.appendRequestBody(chunk)) break;
  }
  session.processRequestBody();
  const engine = session.finish();
  const verdict = engine.interruption ? 'would-block' : engine.failed ? 'error' : 'allowed';
  emitReport(exchange, buildReport(exchange, {
    mode: 'mirror',
    verdict,
    client: view.client,
    engine,
    uri: view.uri,
    headers: headerPairs(view.rawHeaders),
  }));
}

/** Reads the copy and queues it for inspection (or drops it when the queue is full); resolves when the body is in. */
async function receive(exchange: ExchangeBase): Promise<void> {
  const { req, services } = exchange;
  const queue = services.mirrorQueue;
  if (!queue.reserve()) {
    await discardBody(req);
    return;
  }
  const view = mirrorView(req, exchange.peer, services);
  const routed: ExchangeBase = { ...exchange, route: services.routeFor(view.host, view.uri) };
  // One byte past the limit lets the engine see that the body exceeded it.
  const body = await collectBody(req, services.config.limits.requestBody + 1, services.bodyBudget);
  queue.submit(() => {
    try {
      inspect(routed, view, body);
    } finally {
      services.bodyBudget.give(body.taken);
    }
  });
}

function discardBody(req: IncomingMessage): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.resume();
  });
}

export const mirrorMode: Mode = {
  name: 'mirror',

  async handle(exchange: Exchange): Promise<void> {
    // Answer first: the mirroring proxy must never wait for the inspection.
    // A 204 is complete for the client once its head is sent; the response is
    // ended only after the body is read, because ending it would make node
    // close a `Connection: close` socket (nginx's default towards upstreams)
    // with the mirrored body still arriving.
    const { res } = exchange;
    if (exchange.expectContinue) res.writeContinue();
    res.writeHead(204, { [REQUEST_ID_HEADER]: exchange.id });
    res.flushHeaders();
    try {
      await receive(exchange);
    } finally {
      res.end();
    }
  },

  async handleUpgrade(exchange: UpgradeExchange): Promise<void> {
    const socket = exchange.socket;
    if (socket.writable) socket.end(`HTTP/1.1 204 No Content\r\n${REQUEST_ID_HEADER}: ${exchange.id}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
    await receive(exchange);
  },
};
