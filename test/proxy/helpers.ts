/**
 * Test scaffolding for the proxy and modes suites: a complete PicketConfig,
 * an Observer that records, a quiet logger that records, upstream servers on
 * port 0, a running proxy, and raw-socket / node:http clients.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Limits, PicketConfig } from '../../src/config/types.ts';
import type { Waf } from '../../src/engine/api.ts';
import type { Observer, TransactionReport } from '../../src/observability/types.ts';
import { createProxy } from '../../src/proxy/index.ts';
import type { Proxy } from '../../src/proxy/index.ts';
import type { Logger, ProxyOptions } from '../../src/proxy/types.ts';

export const DEFAULT_LIMITS: Limits = {
  requestBody: 1024 * 1024,
  requestBodyNoFiles: 1024 * 1024,
  requestBodyAction: 'Reject',
  responseBody: 512 * 1024,
  headerBytes: 16 * 1024,
  uriLength: 4096,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  upstreamTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
};

export interface ConfigOverrides extends Partial<Omit<PicketConfig, 'limits' | 'mirror'>> {
  readonly limits?: Partial<Limits>;
  readonly mirror?: Partial<PicketConfig['mirror']>;
}

export function testConfig(overrides: ConfigOverrides = {}): PicketConfig {
  const { limits, mirror, ...rest } = overrides;
  return Object.freeze({
    mode: 'inline',
    listen: { host: '127.0.0.1', port: 0 },
    admin: null,
    upstreams: [],
    rules: { files: [], paranoiaLevel: 1, inboundAnomalyThreshold: 5, outboundAnomalyThreshold: 4 },
    trustedProxies: [],
    audit: { path: null, all: false },
    logLevel: 'error',
    swarm: null,
    ...rest,
    limits: { ...DEFAULT_LIMITS, ...limits },
    mirror: { sources: [], queueSize: 100, ...mirror },
  } satisfies PicketConfig);
}

export class RecordingObserver implements Observer {
  readonly reports: TransactionReport[] = [];
  readonly upstreamErrors: { kind: string; upstream: string }[] = [];
  readonly engineErrors: { error: unknown; id: string }[] = [];
  readonly depths: number[] = [];
  dropped = 0;
  #waiters: { count: number; resolve: () => void }[] = [];

  transactionEnd(report: TransactionReport): void {
    this.reports.push(report);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.reports.length < w.count) return true;
      w.resolve();
      return false;
    });
  }
  upstreamError(kind: 'connect' | 'timeout' | 'reset' | 'other', upstream: string): void {
    this.upstreamErrors.push({ kind, upstream });
  }
  mirrorQueueDepth(depth: number): void {
    this.depths.push(depth);
  }
  mirrorDropped(): void {
    this.dropped++;
  }
  engineError(error: unknown, transactionId: string): void {
    this.engineErrors.push({ error, id: transactionId });
  }

  /** Resolves once `count` reports have arrived (reports follow responses asynchronously). */
  waitForReports(count: number): Promise<void> {
    if (this.reports.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  report(id: string): TransactionReport {
    const found = this.reports.find((r) => r.id === id);
    if (!found) throw new Error(`no report for ${id}; have ${this.reports.map((r) => r.id).join(', ')}`);
    return found;
  }
}

export class RecordingLogger implements Logger {
  readonly entries: { level: string; obj: object; msg?: string | undefined }[] = [];
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj, msg });
  }
  debug(obj: object, msg?: string): void {
    this.entries.push({ level: 'debug', obj, msg });
  }
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly body: Buffer;
  readonly remoteAddress: string;
}

export interface Upstream {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  readonly seen: SeenRequest[];
  /** Connections accepted (counts even requests that never completed). */
  connections: number;
  close(): Promise<void>;
}

export type UpstreamHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

const echo: UpstreamHandler = (req, res, body) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
  res.end(`${req.method} ${req.url} ${body.length}`);
};

/** A node:http upstream on 127.0.0.1:0 that records every request it completes. */
export async function startUpstream(handler: UpstreamHandler = echo, options: { readBody?: boolean } = {}): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    if (options.readBody === false) {
      handler(req, res, Buffer.alloc(0));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body, remoteAddress: req.socket.remoteAddress ?? '' });
      handler(req, res, body);
    });
  });
  const upstream: Upstream = {
    url: '',
    port: 0,
    server,
    seen,
    connections: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on('connection', () => upstream.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(upstream, { url: `http://127.0.0.1:${port}`, port });
}

export interface RunningProxy {
  readonly proxy: Proxy;
  readonly port: number;
  readonly url: string;
  readonly observer: RecordingObserver;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

export interface ProxyFixture extends ConfigOverrides {
  readonly waf: Waf;
  readonly wafFor?: ProxyOptions['wafFor'];
  readonly balancing?: ProxyOptions['balancing'];
  readonly ejectMs?: number;
  readonly bodyBufferBytes?: number;
}

export async function startProxy(fixture: ProxyFixture): Promise<RunningProxy> {
  const { waf, wafFor, balancing, ejectMs, bodyBufferBytes, ...overrides } = fixture;
  const observer = new RecordingObserver();
  const logger = new RecordingLogger();
  const proxy = createProxy({
    config: testConfig(overrides),
    wafFor: wafFor ?? (() => waf),
    observer,
    logger,
    ...(balancing ? { balancing } : {}),
    ...(ejectMs !== undefined ? { ejectMs } : {}),
    ...(bodyBufferBytes !== undefined ? { bodyBufferBytes } : {}),
  });
  const { port } = await proxy.listen();
  return { proxy, port, url: `http://127.0.0.1:${port}`, observer, logger, close: () => proxy.close(100) };
}

export interface SimpleResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface SimpleRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** One request with node:http, no keep-alive agent. Rejects on socket errors. */
export function send(port: number, request: SimpleRequest = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method ?? 'GET', path: request.path ?? '/', headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Writes raw bytes and collects everything until the server closes (or `idleMs` of silence). */
export function rawExchange(port: number, data: string | Buffer, idleMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer = setTimeout(() => socket.destroy(), idleMs);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), idleMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** Status code of the first response in raw HTTP text (0 if none). */
export function rawStatusCode(text: string): number {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** A header value from raw HTTP response text. */
export function rawHeader(text: string, name: string): string | undefined {
  const head = text.split('\r\n\r\n')[0] ?? '';
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).toLowerCase() === name.toLowerCase()) return line.slice(colon + 1).trim();
  }
  return undefined;
}

export function idFrom(response: SimpleResponse): string {
  const id = response.headers['x-request-id'];
  if (typeof id !== 'string') throw new Error('response has no X-Request-Id');
  return id;
}
