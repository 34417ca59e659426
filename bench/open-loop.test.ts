/**
 * The open-loop generator on raw connections, against local node:http
 * servers: framing split across TCP reads, connection reuse and
 * replacement, and every request ending as a response or a counted error.
 * Run: node --test bench/open-loop.test.ts
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runOpenLoop } from './open-loop.ts';

/** A node:http server on 127.0.0.1 port 0 running `handler`; counts the TCP connections it accepted. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  let accepted = 0;
  server.on('connection', () => accepted++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('sends the whole schedule from the source and measures every response', async () => {
  const server = await serve((req, res) => res.end(`echo ${req.url}`));
  try {
    let n = 0;
    const r = await runOpenLoop({
      url: server.url,
      requests: () => ({ name: 'x', method: 'GET', path: `/o/${n++}`, headers: {} }),
      rate: 200,
      durationMs: 250,
      maxRequests: 1000,
      connections: 4,
    });
    assert.equal(r.scheduled, 50, 'rate × duration');
    assert.equal(r.completed, 50);
    assert.equal(r.errors + r.non2xx, 0);
    assert.ok(r.p50Ms <= r.p99Ms && r.p99Ms <= r.p999Ms && r.p999Ms <= r.maxMs);
    assert.equal(n, 4 + 50, 'one warm-up request per connection, then the schedule');
  } finally {
    await server.close();
  }
});

test('caps the schedule at maxRequests', async () => {
  const server = await serve((_req, res) => res.end('ok'));
  try {
    const r = await runOpenLoop({ url: `${server.url}/x`, rate: 1000, durationMs: 60_000, maxRequests: 30, connections: 2 });
    assert.equal(r.scheduled, 30);
    assert.equal(r.completed, 30);
  } finally {
    await server.close();
  }
});

test('reads Content-Length and chunked bodies that arrive in several TCP reads', async () => {
  const big = Buffer.alloc(200_000, 'x');
  const server = await serve(async (req, res) => {
    if (req.url === '/length') res.writeHead(200, { 'content-length': big.length + 6 });
    // No length: node:http sends the body chunked.
    else res.writeHead(200);
    res.write('head-\n');
    await pause(2);
    res.write(big);
    await pause(2);
    res.end(req.url === '/length' ? undefined : 'tail');
  });
  try {
    for (const path of ['/length', '/chunked']) {
      const r = await runOpenLoop({ url: `${server.url}${path}`, rate: 100, durationMs: 200, maxRequests: 20, connections: 2 });
      assert.equal(r.completed, 20, path);
      assert.equal(r.errors, 0, `${path}: ${r.firstError}`);
      assert.equal(r.reopened, 0, `${path}: the connections stay usable after each body`);
    }
  } finally {
    await server.close();
  }
});

test('keeps connections alive: the server sees only the pool', async () => {
  const server = await serve((_req, res) => res.end('ok'));
  try {
    const r = await runOpenLoop({ url: server.url, rate: 400, durationMs: 250, maxRequests: 100, connections: 3 });
    assert.equal(r.completed, 100);
    assert.equal(server.connections(), 3, '3 connections for 3 warm-up + 100 requests');
    assert.equal(r.reopened, 0);
  } finally {
    await server.close();
  }
});

test('a server that closes after each response: every request still answered on a new connection', async () => {
  const server = await serve((_req, res) => {
    res.setHeader('connection', 'close');
    res.end('bye');
  });
  try {
    const r = await runOpenLoop({ url: server.url, rate: 200, durationMs: 150, maxRequests: 30, connections: 2 });
    assert.equal(r.completed, 30);
    assert.equal(r.errors, 0, String(r.firstError));
    assert.ok(r.reopened >= 30, `${r.reopened} connections replaced`);
    assert.ok(server.connections() >= 32);
  } finally {
    await server.close();
  }
});

test('4xx and 5xx answers are counted as non-2xx, not as errors', async () => {
  let n = 0;
  const server = await serve((_req, res) => {
    res.statusCode = n++ % 2 === 0 ? 403 : 502;
    res.end('no');
  });
  try {
    const r = await runOpenLoop({ url: server.url, rate: 200, durationMs: 100, maxRequests: 20, connections: 1 });
    assert.equal(r.completed, 20);
    assert.equal(r.non2xx, 20);
    assert.equal(r.errors, 0);
  } finally {
    await server.close();
  }
});

test('a reset connection is an error of the request on it; the others go on', async () => {
  const server = await serve((req, res) => {
    if (/\/reset\//.test(req.url ?? '')) req.socket.resetAndDestroy();
    else res.end('ok');
  });
  try {
    let n = 0;
    const r = await runOpenLoop({
      url: server.url,
      // Requests 0-1 warm the pool; among the 20 scheduled ones every fifth is reset.
      requests: () => ({ name: 'x', method: 'GET', path: n++ >= 2 && n % 5 === 0 ? `/reset/${n}` : `/ok/${n}`, headers: {} }),
      rate: 200,
      durationMs: 100,
      maxRequests: 20,
      connections: 2,
    });
    assert.equal(r.scheduled, 20);
    assert.equal(r.errors, 4, String(r.firstError));
    assert.match(r.firstError ?? '', /ECONNRESET|closed/);
    assert.equal(r.completed, 16);
    assert.ok(r.reopened >= 4, 'each reset connection was replaced');
  } finally {
    await server.close();
  }
});

test('a request without an answer times out as an error; nothing is dropped', async () => {
  const server = await serve((req, res) => {
    if (req.url !== '/hang') res.end('ok');
    // /hang: never answered.
  });
  try {
    let n = 0;
    const r = await runOpenLoop({
      url: server.url,
      requests: () => ({ name: 'x', method: 'GET', path: n++ === 5 ? '/hang' : '/ok', headers: {} }),
      rate: 100,
      durationMs: 100,
      maxRequests: 10,
      connections: 2,
      drainMs: 300,
    });
    assert.equal(r.scheduled, 10);
    assert.equal(r.completed + r.errors, 10);
    assert.equal(r.errors, 1);
    assert.match(r.firstError ?? '', /no response within 300 ms/);
  } finally {
    await server.close();
  }
});

test('never skips: requests that find every connection busy are late, and still sent', async () => {
  // Every response is held 40 ms; with one connection and one request due every 5 ms, all but the first
  // queue behind a busy connection, and their latency (from the schedule) includes the queueing.
  const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 40));
  try {
    const r = await runOpenLoop({ url: server.url, rate: 200, durationMs: 50, maxRequests: 10, connections: 1 });
    assert.equal(r.scheduled, 10);
    assert.equal(r.completed, 10);
    assert.ok(r.late >= 9 - 1, `${r.late} late`);
    assert.ok(r.late <= 10, 'a request is late once, not once for waiting and again for its lag');
    assert.ok(r.maxMs >= 10 * 40 - 50, `max ${r.maxMs} ms includes the queue`);
    assert.ok(r.maxInFlight >= 8);
  } finally {
    await server.close();
  }
});

test('fails loudly when the target refuses connections', async () => {
  // The pool opens before the schedule: a dead target is a configuration error, not a latency figure.
  await assert.rejects(runOpenLoop({ url: 'http://127.0.0.1:1/', rate: 100, durationMs: 50, maxRequests: 5 }), /ECONNREFUSED/);
});
