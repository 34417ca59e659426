/** The load generators stop by themselves (budget or deadline) and count what they must. Run: node --test bench/load.test.ts */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { runLoad } from './load.ts';
import { runOpenLoop } from './open-loop.ts';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/fail') res.statusCode = 500;
    res.end('ok');
  });
});
let url = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('stops at the request budget, warm-up not counted', async () => {
  const r = await runLoad({ url: `${url}/x`, connections: 4, durationMs: 60_000, maxRequests: 40, warmupRequests: 8 });
  assert.equal(r.requests, 40);
  assert.equal(r.errors, 0);
  assert.ok(r.p50Ms <= r.p99Ms);
});

test('stops at the deadline when the budget is larger', async () => {
  const r = await runLoad({ url: `${url}/x`, connections: 2, durationMs: 200, maxRequests: 10_000_000, warmupRequests: 0 });
  assert.ok(r.requests > 0 && r.requests < 10_000_000);
});

test('counts non-2xx answers and transport errors', async () => {
  const failing = await runLoad({ url: `${url}/fail`, method: 'POST', body: 'a=1', connections: 2, durationMs: 60_000, maxRequests: 10, warmupRequests: 0 });
  assert.equal(failing.non2xx, 10);
  const refused = await runLoad({ url: 'http://127.0.0.1:1/', connections: 1, durationMs: 60_000, maxRequests: 3, warmupRequests: 0 });
  assert.equal(refused.errors, 3);
});

test('closed loop takes each request from the source', async () => {
  let n = 0;
  const r = await runLoad({
    url,
    requests: () => ({ name: 'x', method: 'POST', path: `/n/${n++}`, headers: {}, body: Buffer.from('a=1') }),
    connections: 2,
    durationMs: 60_000,
    maxRequests: 10,
    warmupRequests: 2,
  });
  assert.equal(r.requests, 10);
  assert.equal(r.warmupRequests, 2);
  assert.equal(n, 12, 'warm-up and measured requests all come from the source');
});

test('open loop sends the whole schedule and measures every response', async () => {
  let n = 0;
  const r = await runOpenLoop({
    url,
    requests: () => ({ name: 'x', method: 'GET', path: `/o/${n++}`, headers: {} }),
    rate: 200,
    durationMs: 250,
    maxRequests: 1000,
  });
  assert.equal(r.scheduled, 50, 'rate × duration');
  assert.equal(r.completed, 50);
  assert.equal(r.errors + r.non2xx, 0);
  assert.ok(r.p50Ms <= r.p99Ms && r.p99Ms <= r.p999Ms && r.p999Ms <= r.maxMs);
  assert.equal(n, 32 + 50, 'warm-up (8 connections × 4) plus the schedule');
});

test('open loop caps the schedule at maxRequests', async () => {
  const r = await runOpenLoop({ url: `${url}/x`, rate: 1000, durationMs: 60_000, maxRequests: 30 });
  assert.equal(r.scheduled, 30);
  assert.equal(r.completed, 30);
});

test('open loop never skips: requests that find every connection busy are late, and still sent', async () => {
  // Every response is held 40 ms; with one connection and one request due every 5 ms, all but the first
  // queue behind a busy connection, and their latency (from the schedule) includes the queueing.
  const slow = createServer((req, res) => {
    req.resume();
    setTimeout(() => res.end('ok'), 40);
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  try {
    const r = await runOpenLoop({
      url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`,
      rate: 200,
      durationMs: 50,
      maxRequests: 10,
      connections: 1,
    });
    assert.equal(r.scheduled, 10);
    assert.equal(r.completed, 10);
    assert.ok(r.late >= 9 - 1, `${r.late} late`);
    assert.ok(r.maxMs >= 10 * 40 - 50, `max ${r.maxMs} ms includes the queue`);
  } finally {
    slow.close();
  }
});

test('open loop fails loudly when the target refuses connections', async () => {
  // The warm-up runs first and rejects: a dead target is a configuration error, not a latency figure.
  await assert.rejects(runOpenLoop({ url: 'http://127.0.0.1:1/', rate: 100, durationMs: 50, maxRequests: 5 }));
});
