/**
 * The demo application `picket demo` puts behind the WAF: a few JSON
 * endpoints on node:http, enough to show allowed and blocked requests.
 *
 *   GET  /            {"app":"picket-demo","query":{...}}  (echoes the query)
 *   GET  /products    a small product list, filtered by ?q=
 *   POST /echo        echoes a JSON or form body
 *   GET  /healthz     ok
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const PRODUCTS = [
  { id: 1, name: 'Blue mug', price: 9.5 },
  { id: 2, name: 'Green teapot', price: 24 },
  { id: 3, name: 'Red kettle', price: 39.9 },
];

/** Largest body the demo reads. */
const MAX_BODY = 64 * 1024;

export interface DemoApp {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createDemoServer(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.local');
    const query = Object.fromEntries(url.searchParams);
    if (req.method === 'GET' && url.pathname === '/') {
      json(res, 200, { app: 'picket-demo', message: 'Hello from behind picket', query });
    } else if (req.method === 'GET' && url.pathname === '/products') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      json(res, 200, { products: PRODUCTS.filter((p) => p.name.toLowerCase().includes(q)) });
    } else if (req.method === 'GET' && url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (req.method === 'POST' && url.pathname === '/echo') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          json(res, 413, { error: 'body too large' });
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (res.headersSent) return;
        json(res, 200, { contentType: req.headers['content-type'] ?? null, body: Buffer.concat(chunks).toString('utf8') });
      });
    } else {
      json(res, 404, { error: 'not found', path: url.pathname });
    }
  });
}

export async function startDemoApp(host = '127.0.0.1', port = 0): Promise<DemoApp> {
  const server = createDemoServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${bound}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
