/**
 * Mirror mode specifics: immediate answers, the original client and URI from
 * trusted mirroring proxies only, Envoy's -shadow host, the bounded queue,
 * and that nothing is ever forwarded.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { FakeWaf } from '../proxy/fake-waf.ts';
import { idFrom, rawHeader, rawStatusCode, send, startProxy, startUpstream } from '../proxy/helpers.ts';

describe('mirror: the original request', () => {
  it('believes X-Original-URI and X-Forwarded-For from a listed source, and hides the URI header from the engine', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', mirror: { sources: ['127.0.0.1/32'] } });
    try {
      const response = await send(proxy.port, {
        path: '/_mirror',
        headers: { 'x-original-uri': '/login?user=attack', 'x-forwarded-for': '6.6.6.6, 203.0.113.50' },
      });
      assert.equal(response.status, 204);
      const id = idFrom(response);
      await proxy.observer.waitForReports(1);
      const report = proxy.observer.report(id);
      assert.equal(report.request.uri, '/login?user=attack');
      assert.equal(report.client.address, '203.0.113.50');
      assert.equal(report.verdict, 'would-block');
      const tx = waf.tx(id);
      assert.equal(tx.uri, '/login?user=attack');
      assert.equal(tx.client, '203.0.113.50');
      assert.equal(tx.requestHeaders.some(([n]) => n.toLowerCase() === 'x-original-uri'), false);
    } finally {
      await proxy.close();
    }
  });

  it('reads X-Envoy-Original-Path, X-Forwarded-Uri and X-Real-IP, and strips -shadow from Host', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', mirror: { sources: ['127.0.0.1'] } });
    try {
      const envoy = await send(proxy.port, { path: '/x', headers: { host: 'app.example-shadow:8080', 'x-envoy-original-path': '/orig/envoy', 'x-real-ip': '198.51.100.4' } });
      const traefik = await send(proxy.port, { path: '/y', headers: { 'x-forwarded-uri': '/orig/traefik' } });
      const envoyTx = waf.tx(idFrom(envoy));
      assert.equal(envoyTx.uri, '/orig/envoy');
      assert.equal(envoyTx.client, '198.51.100.4');
      assert.equal(envoyTx.requestHeaders.find(([n]) => n.toLowerCase() === 'host')?.[1], 'app.example:8080');
      assert.equal(waf.tx(idFrom(traefik)).uri, '/orig/traefik');
    } finally {
      await proxy.close();
    }
  });

  it('ignores those headers from a peer that is not a listed source', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', mirror: { sources: ['10.0.0.0/8'] } });
    try {
      const response = await send(proxy.port, { path: '/real', headers: { 'x-original-uri': '/spoofed', 'x-forwarded-for': '203.0.113.50' } });
      const tx = waf.tx(idFrom(response));
      assert.equal(tx.uri, '/real');
      assert.equal(tx.client, '127.0.0.1');
    } finally {
      await proxy.close();
    }
  });

  it('rejects a malformed original URI and keeps the mirrored target', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', mirror: { sources: ['127.0.0.1'] } });
    try {
      const response = await send(proxy.port, { path: '/mirrored', headers: { 'x-original-uri': 'no-leading-slash' } });
      assert.equal(waf.tx(idFrom(response)).uri, '/mirrored');
    } finally {
      await proxy.close();
    }
  });
});

describe('mirror: never forwards', () => {
  it('does not contact configured upstreams', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf(), mode: 'mirror', upstreams: [upstream.url] });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await send(proxy.port, { method: 'POST', path: '/', body: 'x' })).status, 204);
      assert.equal(upstream.connections, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('mirror: bounded queue', () => {
  it('answers before the body has arrived, and drops (and counts) when the queue is full', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror', mirror: { queueSize: 1 } });
    try {
      // A mirrored POST whose body is still arriving holds the only slot…
      const socket = net.connect(proxy.port, '127.0.0.1');
      socket.on('error', () => undefined);
      let head = '';
      const answered = new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          head += chunk.toString('latin1');
          if (head.includes('\r\n\r\n')) resolve();
        });
      });
      socket.write('POST /slow-body HTTP/1.1\r\nHost: app\r\nContent-Length: 10\r\n\r\n12345');
      await answered;
      const first = { status: rawStatusCode(head), id: rawHeader(head, 'x-request-id') ?? '' };
      const finishBody = (): void => {
        socket.end('67890');
      };
      // …and was answered already.
      assert.equal(first.status, 204);
      const second = await send(proxy.port, { path: '/dropped' });
      assert.equal(second.status, 204, 'a dropped copy is still answered');
      assert.equal(proxy.observer.dropped, 1);
      assert.throws(() => waf.tx(idFrom(second)), /no transaction/);
      finishBody();
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report(first.id).request.uri, '/slow-body');
      assert.equal(Buffer.concat(waf.tx(first.id).requestBody).toString(), '1234567890');
      assert.equal(proxy.observer.depths.at(-1), 0);
      assert.ok(proxy.observer.depths.includes(1));
    } finally {
      await proxy.close();
    }
  });

  it('still inspects a copy whose body the sender cut off', async () => {
    const waf = new FakeWaf();
    const proxy = await startProxy({ waf, mode: 'mirror' });
    try {
      await new Promise<void>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1', () =>
          socket.write('POST /cut HTTP/1.1\r\nHost: app\r\nX-Request-Id: cut-1\r\nContent-Length: 100\r\n\r\npartial attack'),
        );
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
        // Once answered, give up on the rest of the body, as a mirror that timed out would.
        socket.once('data', () => socket.end());
      });
      await proxy.observer.waitForReports(1);
      const report = proxy.observer.report('cut-1');
      assert.equal(report.verdict, 'would-block');
      assert.equal(Buffer.concat(waf.tx('cut-1').requestBody).toString(), 'partial attack');
    } finally {
      await proxy.close();
    }
  });

  it('lets the engine see that a body went past its limit', async () => {
    const waf = new FakeWaf({ requestBodyLimit: 1000, requestBodyLimitAction: 'Reject' });
    const proxy = await startProxy({ waf, mode: 'mirror', limits: { requestBody: 1000 } });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/big', body: Buffer.alloc(50_000, 'z') });
      assert.equal(response.status, 204);
      await proxy.observer.waitForReports(1);
      const report = proxy.observer.report(idFrom(response));
      assert.equal(report.verdict, 'would-block');
      assert.equal(report.interruptionStatus, 413);
      assert.ok(waf.tx(report.id).requestBodyOffered <= 1001);
    } finally {
      await proxy.close();
    }
  });
});
