/**
 * The front's limits and framing checks, over raw sockets: 431, 414, 400 for
 * ambiguous framing (never forwarded), 408 for slow clients.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { rawExchange, rawHeader, rawStatusCode, startProxy, startUpstream } from './helpers.ts';
import type { RunningProxy, Upstream } from './helpers.ts';

describe('request limits and framing', () => {
  let upstream: Upstream;
  let proxy: RunningProxy;

  before(async () => {
    upstream = await startUpstream();
    proxy = await startProxy({
      waf: new FakeWaf({ requestBodyAccess: false }),
      upstreams: [upstream.url],
      limits: { headerBytes: 4096, uriLength: 1024 },
    });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  const expectRejected = async (request: string, status: number): Promise<string> => {
    const before = upstream.connections;
    const text = await rawExchange(proxy.port, request);
    assert.equal(rawStatusCode(text), status, text);
    assert.match(rawHeader(text, 'x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(upstream.connections, before, 'the upstream was contacted');
    return text;
  };

  it('answers 431 when the headers exceed headerBytes', async () => {
    await expectRejected(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(5000)}\r\n\r\n`, 431);
  });

  it('answers 414 when the URI exceeds uriLength', async () => {
    await expectRejected(`GET /${'u'.repeat(2000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414);
  });

  it('answers 414, not 431, when the request line alone overflows the header limit', async () => {
    await expectRejected(`GET /${'u'.repeat(6000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414);
  });

  it('refuses Content-Length with Transfer-Encoding (400, upstream receives nothing)', async () => {
    const text = await expectRejected(
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n',
      400,
    );
    assert.equal(upstream.seen.length, 0);
    assert.doesNotMatch(text, /smuggled/);
  });

  it('refuses duplicate Content-Length, equal or not', async () => {
    await expectRejected('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 400);
    await expectRejected('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc', 400);
  });

  it('refuses a Transfer-Encoding other than chunked, and bad chunk sizes', async () => {
    await expectRejected('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n', 400);
    await expectRejected('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400);
    assert.equal(upstream.seen.length, 0);
  });

  it('refuses a missing Host, several Hosts, and a bad request-target', async () => {
    await expectRejected('GET / HTTP/1.1\r\n\r\n', 400);
    await expectRejected('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400);
    await expectRejected('GET nonsense HTTP/1.1\r\nHost: a\r\n\r\n', 400);
  });

  it('refuses CONNECT with 405', async () => {
    await expectRejected('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405);
  });

  it('forwards absolute-form requests as origin-form', async () => {
    const text = await rawExchange(proxy.port, 'GET http://app.example/abs?q=1 HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n');
    assert.equal(rawStatusCode(text), 200);
    assert.equal(upstream.seen.at(-1)?.url, '/abs?q=1');
  });

  it('reports rejections', async () => {
    await proxy.observer.waitForReports(1);
    assert.ok(proxy.observer.reports.some((r) => r.verdict === 'rejected' && r.status === 431));
  });
});

describe('bad chunked body with body inspection', () => {
  it('answers 400 and never forwards the request', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const text = await rawExchange(proxy.port, 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nxyz\r\n0\r\n\r\n');
      assert.equal(rawStatusCode(text), 400);
      assert.ok(rawHeader(text, 'x-request-id'));
      assert.equal(upstream.connections, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('slow clients', () => {
  it('answers 408 and closes when the headers do not arrive within headersTimeoutMs', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({
      waf: new FakeWaf(),
      upstreams: [upstream.url],
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    });
    try {
      const text = await new Promise<string>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: a\r\n'));
        let data = '';
        socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(data));
      });
      assert.equal(rawStatusCode(text), 408);
      assert.ok(rawHeader(text, 'x-request-id'));
      assert.equal(upstream.connections, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('slow request bodies', () => {
  it('answers 408 with the request id when the body does not arrive within requestTimeoutMs; nothing is forwarded', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({
      waf: new FakeWaf(),
      upstreams: [upstream.url],
      limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    });
    try {
      const text = await new Promise<string>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1', () =>
          socket.write('POST /slow HTTP/1.1\r\nHost: a\r\nX-Request-Id: slow-body-1\r\nContent-Length: 100\r\n\r\nonly part of it'),
        );
        let data = '';
        socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(data));
      });
      assert.equal(rawStatusCode(text), 408);
      assert.equal(rawHeader(text, 'x-request-id'), 'slow-body-1');
      assert.equal(upstream.connections, 0);
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report('slow-body-1').status, 408);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
