/**
 * Forwarding through a real upstream: request ids, X-Forwarded-*, hop-by-hop
 * stripping, upstream failures (502/504) and the report for each.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { idFrom, rawExchange, rawHeader, rawStatusCode, send, startProxy, startUpstream } from './helpers.ts';
import type { RunningProxy, Upstream } from './helpers.ts';

describe('forwarding', () => {
  let upstream: Upstream;
  let proxy: RunningProxy;
  const waf = new FakeWaf();

  before(async () => {
    upstream = await startUpstream((req, res, body) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        connection: 'keep-alive, x-upstream-hop',
        'x-upstream-hop': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'x-request-id': 'upstream-made-this-up',
      });
      res.end(`${req.method} ${req.url} ${body.length}`);
    });
    proxy = await startProxy({ waf, upstreams: [upstream.url] });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('relays request and response and reports allowed', async () => {
    const response = await send(proxy.port, { method: 'POST', path: '/echo?x=1', body: 'hello' });
    assert.equal(response.status, 200);
    assert.equal(response.body, 'POST /echo?x=1 5');
    const id = idFrom(response);
    await proxy.observer.waitForReports(1);
    const report = proxy.observer.report(id);
    assert.equal(report.verdict, 'allowed');
    assert.equal(report.status, 200);
    assert.equal(report.upstream, upstream.url);
    assert.equal(report.request.uri, '/echo?x=1');
    assert.deepEqual(waf.tx(id).calls, ['connection', 'uri', 'phase1', 'phase2', 'phase3', 'phase4', 'phase5']);
  });

  it('keeps a well-formed X-Request-Id and sends it upstream and back', async () => {
    const response = await send(proxy.port, { path: '/rid', headers: { 'x-request-id': 'abc-123.DEF' } });
    assert.equal(response.headers['x-request-id'], 'abc-123.DEF');
    assert.equal(upstream.seen.at(-1)?.headers['x-request-id'], 'abc-123.DEF');
  });

  it('replaces a malformed or oversized X-Request-Id', async () => {
    for (const bad of ['has space', 'x'.repeat(129), '<script>']) {
      const response = await send(proxy.port, { path: '/rid2', headers: { 'x-request-id': bad } });
      const id = idFrom(response);
      assert.notEqual(id, bad);
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(upstream.seen.at(-1)?.headers['x-request-id'], id);
    }
  });

  it('strips hop-by-hop headers both ways, including Connection-listed ones', async () => {
    const text = await rawExchange(
      proxy.port,
      'GET /hop HTTP/1.1\r\nHost: app\r\nConnection: close, X-Client-Hop\r\nX-Client-Hop: 1\r\nKeep-Alive: 300\r\n' +
        'TE: trailers\r\nProxy-Authorization: Basic eA==\r\nUpgrade: h2c\r\nX-End-To-End: kept\r\n\r\n',
    );
    assert.equal(rawStatusCode(text), 200);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.url, '/hop');
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'upgrade']) {
      assert.equal(seen.headers[name], undefined, `${name} reached the upstream`);
    }
    assert.equal(seen.headers['x-end-to-end'], 'kept');
    assert.equal(rawHeader(text, 'x-upstream-hop'), undefined);
    assert.equal(rawHeader(text, 'keep-alive'), undefined);
    assert.equal(rawHeader(text, 'proxy-authenticate'), undefined);
    assert.notEqual(rawHeader(text, 'x-request-id'), 'upstream-made-this-up');
  });

  it('sets X-Forwarded-* from the peer and ignores them from an untrusted client', async () => {
    await send(proxy.port, {
      path: '/xff',
      headers: { host: 'shop.example', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil', 'x-forwarded-proto': 'https', 'x-real-ip': '6.6.6.6' },
    });
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-host'], 'shop.example');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-real-ip'], '127.0.0.1');
    assert.equal(seen.headers.host, 'shop.example');
  });
});

describe('forwarding behind a trusted proxy', () => {
  it('extends X-Forwarded-For and gives the engine the client from it', async () => {
    const upstream = await startUpstream();
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, upstreams: [upstream.url], trustedProxies: ['127.0.0.0/8'] });
    try {
      const response = await send(proxy.port, {
        path: '/t',
        headers: { 'x-forwarded-for': '198.51.100.7, 10.1.2.3', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' },
      });
      const seen = upstream.seen.at(-1)!;
      assert.equal(seen.headers['x-forwarded-for'], '198.51.100.7, 10.1.2.3, 127.0.0.1');
      assert.equal(seen.headers['x-forwarded-proto'], 'https');
      assert.equal(seen.headers['x-forwarded-host'], 'public.example');
      // 10.1.2.3 is not trusted here, so it is the client.
      assert.equal(waf.tx(idFrom(response)).client, '10.1.2.3');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('upstream failures', () => {
  it('answers 502 with the request id when the upstream refuses connections', async () => {
    const dead = await startUpstream();
    await dead.close();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [dead.url] });
    try {
      const response = await send(proxy.port, { path: '/down', headers: { accept: 'application/json' } });
      assert.equal(response.status, 502);
      const id = idFrom(response);
      assert.deepEqual(JSON.parse(response.body), { status: 502, requestId: id });
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report(id).status, 502);
      assert.equal(proxy.observer.upstreamErrors[0]?.kind, 'connect');
    } finally {
      await proxy.close();
    }
  });

  it('answers 504 when the upstream does not answer within upstreamTimeoutMs', async () => {
    const slow = await startUpstream(() => undefined); // never answers
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [slow.url], limits: { upstreamTimeoutMs: 300 } });
    try {
      const response = await send(proxy.port, { path: '/slow' });
      assert.equal(response.status, 504);
      assert.match(response.body, new RegExp(idFrom(response)));
      assert.equal(proxy.observer.upstreamErrors[0]?.kind, 'timeout');
    } finally {
      await proxy.close();
      await slow.close();
    }
  });

  it('answers 404 when no route matches', async () => {
    const proxy = await startProxy({ waf: new FakeWaf() });
    try {
      const response = await send(proxy.port, { path: '/' });
      assert.equal(response.status, 404);
      idFrom(response);
    } finally {
      await proxy.close();
    }
  });
});

describe('streaming', () => {
  it('aborts the upstream request when the client goes away', { timeout: 10_000 }, async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk');
      res.on('close', () => {
        if (!res.writableFinished) upstreamClosed();
      });
    });
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      await new Promise<void>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1', () => socket.write('GET /stream HTTP/1.1\r\nHost: a\r\n\r\n'));
        socket.on('data', (chunk: Buffer) => {
          if (chunk.includes('first chunk')) {
            socket.destroy();
            resolve();
          }
        });
      });
      await closed;
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.reports[0]?.status, 499);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('pauses the upstream while the client does not read (backpressure), then delivers everything', { timeout: 30_000 }, async () => {
    const chunk = Buffer.alloc(64 * 1024, 'b');
    const total = 48 * 1024 * 1024;
    let written = 0;
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
      const pump = (): void => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const socket = net.connect(proxy.port, '127.0.0.1', () => socket.write('GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'));
      let received = 0;
      const firstData = new Promise<void>((resolve) => socket.once('data', (c: Buffer) => {
        received += c.length;
        socket.pause();
        resolve();
      }));
      await firstData;
      // Wait until the upstream stops making progress: with backpressure it stalls
      // once the socket buffers are full; without, it would write all 48 MiB into picket.
      let last = -1;
      while (written !== last && written < total) {
        last = written;
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(written < total / 2, `upstream wrote ${written} bytes while the client read nothing`);
      const done = new Promise<void>((resolve) => socket.on('end', resolve));
      socket.on('data', (c: Buffer) => (received += c.length));
      socket.resume();
      await done;
      assert.ok(received > total, `client received ${received} bytes (body ${total} plus head)`);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
