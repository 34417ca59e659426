/**
 * Request and response bodies: buffered for inspection before forwarding,
 * 413 past the limit with Reject, partial inspection with bounded memory for
 * ProcessPartial (the body is still forwarded intact), streaming when the
 * engine does not read bodies.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { idFrom, send, startProxy, startUpstream } from './helpers.ts';

const MiB = 1024 * 1024;

describe('request body limit: Reject', () => {
  it('answers 413 with the request id and forwards nothing', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf({ requestBodyLimit: MiB, requestBodyLimitAction: 'Reject' });
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/upload', body: Buffer.alloc(2 * MiB, 'a') });
      assert.equal(response.status, 413);
      const id = idFrom(response);
      assert.match(response.body, new RegExp(id));
      assert.equal(upstream.connections, 0);
      // The engine never held more than the limit.
      assert.ok(waf.tx(id).requestBodySize <= MiB);
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report(id).verdict, 'blocked');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('request body limit: ProcessPartial', () => {
  it('forwards a 20 MiB body intact, inspects the first 1 MiB, and streams the rest', async () => {
    const total = 20 * MiB;
    let received = 0;
    let onProgress: (() => void) | undefined;
    const digest = createHash('sha256');
    let resolveDone!: (hash: string) => void;
    const upstreamDone = new Promise<string>((resolve) => (resolveDone = resolve));
    const upstreamServer = http.createServer((req, res) => {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        digest.update(chunk);
        onProgress?.();
      });
      req.on('end', () => {
        res.end('stored');
        resolveDone(digest.digest('hex'));
      });
    });
    await new Promise<void>((r) => upstreamServer.listen(0, '127.0.0.1', r));
    const upstreamUrl = `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`;

    const waf = new FakeWaf({ requestBodyLimit: MiB, requestBodyLimitAction: 'ProcessPartial' });
    const proxy = await startProxy({ waf, upstreams: [upstreamUrl] });
    try {
      const body = Buffer.alloc(total);
      for (let i = 0; i < total; i += 4096) body.write(`block ${i} `, i);
      const expected = createHash('sha256').update(body).digest('hex');
      const head = 2 * MiB;
      const response = await new Promise<{ status: number; id: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/big', headers: { 'content-length': total }, agent: false },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, id: String(res.headers['x-request-id']) }));
          },
        );
        req.on('error', reject);
        // Send 2 MiB, then wait until the upstream has received more than the
        // inspection limit: proof that picket streams instead of buffering all 20 MiB.
        req.write(body.subarray(0, head));
        onProgress = () => {
          if (received <= MiB || onProgress === undefined) return;
          onProgress = undefined;
          req.end(body.subarray(head));
        };
      });
      assert.equal(response.status, 200);
      assert.equal(await upstreamDone, expected);
      assert.equal(received, total);
      const tx = waf.tx(response.id);
      assert.equal(tx.requestBodySize, MiB, 'inspected exactly the limit');
      assert.ok(tx.requestBodyOffered < 2 * MiB, `offered ${tx.requestBodyOffered} bytes to the engine`);
    } finally {
      await proxy.close();
      await new Promise((r) => upstreamServer.close(r));
    }
  });
});

describe('request body buffering', () => {
  it('inspects the whole (chunked) body, then forwards it complete', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await new Promise<{ status: number; id: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/chunked', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, id: String(res.headers['x-request-id']) }));
        });
        req.on('error', reject);
        req.write('first part, ');
        setImmediate(() => req.end('second part'));
      });
      assert.equal(response.status, 200);
      assert.equal(upstream.seen.at(-1)?.body.toString(), 'first part, second part');
      assert.equal(Buffer.concat(waf.tx(response.id).requestBody).toString(), 'first part, second part');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('streams the body without inspecting it when request body access is off', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf({ requestBodyAccess: false });
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { method: 'PUT', path: '/s', body: 'an attack in a body nobody reads' });
      assert.equal(response.status, 200);
      assert.equal(upstream.seen.at(-1)?.body.toString(), 'an attack in a body nobody reads');
      assert.equal(waf.tx(idFrom(response)).requestBodyOffered, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('response body inspection', () => {
  it('holds at most the response limit, then streams the rest intact', async () => {
    const big = Buffer.alloc(3 * MiB, 'r');
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(big);
    });
    const waf = new FakeWaf({ responseBodyAccess: true, responseBodyLimit: 256 * 1024, responseBodyLimitAction: 'ProcessPartial' });
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { path: '/large' });
      assert.equal(response.status, 200);
      assert.equal(response.body.length, big.length);
      const tx = waf.tx(idFrom(response));
      assert.equal(tx.responseBodySize, 256 * 1024);
      assert.ok(tx.calls.includes('phase4'));
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('does not hold bodies of MIME types the engine does not inspect', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('secret-leak but binary');
    });
    const waf = new FakeWaf({ responseBodyAccess: true });
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { path: '/img' });
      assert.equal(response.status, 200);
      assert.equal(waf.tx(idFrom(response)).responseBodySize, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('process-wide body budget', () => {
  it('inline answers 503 when the budget cannot hold a body, and gives the bytes back', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf({ requestBodyLimit: MiB });
    const proxy = await startProxy({ waf, upstreams: [upstream.url], bodyBufferBytes: 100_000 });
    try {
      const big = await send(proxy.port, { method: 'POST', path: '/big', body: Buffer.alloc(150_000, 'a') });
      assert.equal(big.status, 503);
      assert.equal(big.headers['retry-after'], '1');
      assert.equal(upstream.connections, 0);
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report(idFrom(big)).verdict, 'rejected');
      // The bytes held for the rejected body were given back.
      for (let i = 0; i < 3; i++) {
        assert.equal((await send(proxy.port, { method: 'POST', path: '/small', body: Buffer.alloc(60_000, 'b') })).status, 200);
      }
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('detect forwards the body intact and inspects what fitted', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf({ requestBodyLimit: MiB });
    const proxy = await startProxy({ waf, mode: 'detect', upstreams: [upstream.url], bodyBufferBytes: 100_000 });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/big', body: Buffer.alloc(150_000, 'a') });
      assert.equal(response.status, 200);
      assert.equal(upstream.seen.at(-1)?.body.length, 150_000);
      assert.ok(waf.tx(idFrom(response)).requestBodySize <= 100_000);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('mirror inspects the part of a copy that fitted', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', bodyBufferBytes: 1000 });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await send(proxy.port, { method: 'POST', path: '/m', body: Buffer.alloc(5000, 'm') });
        await proxy.observer.waitForReports(i + 1);
        const size = waf.tx(idFrom(response)).requestBodySize;
        assert.ok(size > 0 && size <= 1000, `inspected ${size} bytes`);
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('body limit edge', () => {
  it('forwards a body whose last chunk crosses the limit (ProcessPartial)', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf({ requestBodyLimit: 1000, requestBodyLimitAction: 'ProcessPartial' });
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/edge', body: Buffer.alloc(1001, 'e') });
      assert.equal(response.status, 200);
      assert.equal(upstream.seen.at(-1)?.body.length, 1001);
      assert.equal(waf.tx(idFrom(response)).requestBodySize, 1000);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
