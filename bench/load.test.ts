/** The closed-loop generator stops by itself (budget or deadline) and counts what it must. Run: node --test bench/load.test.ts */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { runLoad } from './load.ts';

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

test('the measured window opens after the warm-up and closes after the last response', async () => {
  const edges: string[] = [];
  let served = 0;
  const counting = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served++;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => counting.listen(0, '127.0.0.1', r));
  try {
    const r = await runLoad({
      url: `http://127.0.0.1:${(counting.address() as AddressInfo).port}/`,
      connections: 2,
      durationMs: 60_000,
      maxRequests: 10,
      warmupRequests: 4,
      onWindow: (edge) => edges.push(`${edge}@${served}`),
    });
    assert.equal(r.requests, 10);
    assert.deepEqual(edges, ['start@4', 'end@14']);
  } finally {
    counting.close();
  }
});
