/**
 * inline enforcement: deny / drop / redirect in phases 1-4, what the blocked
 * client sees (status and request id, nothing about rules) and that a
 * request blocked in phases 1-2 never reaches the upstream.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { idFrom, rawExchange, send, startProxy, startUpstream } from './helpers.ts';
import type { RunningProxy, Upstream } from './helpers.ts';

describe('inline blocking', () => {
  let upstream: Upstream;
  let proxy: RunningProxy;
  const waf = new FakeWaf({ responseBodyAccess: true });

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/leak-header') res.setHeader('X-Leak', '1');
      res.setHeader('content-type', 'text/plain');
      res.end(req.url === '/leak-body' ? 'account: secret-leak' : 'fine');
    });
    proxy = await startProxy({ waf, upstreams: [upstream.url] });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('answers 403 with only the request id, and the upstream sees nothing', async () => {
    const before = upstream.connections;
    const response = await send(proxy.port, { path: '/search?q=attack' });
    assert.equal(response.status, 403);
    const id = idFrom(response);
    assert.equal(response.body, `403 Forbidden\nrequest id: ${id}\n`);
    assert.doesNotMatch(response.body, /rule|fake|attack/i);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(upstream.connections, before);
    await proxy.observer.waitForReports(1);
    const report = proxy.observer.report(id);
    assert.equal(report.verdict, 'blocked');
    assert.equal(report.status, 403);
    assert.equal(report.interruptionRuleId, 1);
    assert.equal(report.scores.inbound, 5);
    assert.equal(report.matchedRules[0]?.id, 1);
  });

  it('answers JSON when the client accepts it', async () => {
    const response = await send(proxy.port, { path: '/?q=attack', headers: { accept: 'application/json' } });
    assert.equal(response.status, 403);
    assert.deepEqual(JSON.parse(response.body), { status: 403, requestId: idFrom(response) });
  });

  it("uses the rule's status", async () => {
    const response = await send(proxy.port, { path: '/?q=attack-418' });
    assert.equal(response.status, 418);
  });

  it('redirects with Location', async () => {
    const response = await send(proxy.port, { path: '/?q=attack-redirect' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/blocked');
  });

  it('drops the connection without an answer', async () => {
    const text = await rawExchange(proxy.port, 'GET /?q=attack-drop HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.equal(text, '');
  });

  it('blocks on the request body before anything is forwarded', async () => {
    const before = upstream.connections;
    const response = await send(proxy.port, { method: 'POST', path: '/form', headers: { 'content-type': 'text/plain' }, body: `${'x'.repeat(100_000)} attack` });
    assert.equal(response.status, 403);
    assert.equal(upstream.connections, before);
    assert.equal(waf.tx(idFrom(response)).requestBodySize, 100_007);
  });

  it('blocks on response headers (phase 3)', async () => {
    const response = await send(proxy.port, { path: '/leak-header' });
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-leak'], undefined);
  });

  it('blocks on the response body (phase 4) before the client sees any of it', async () => {
    const response = await send(proxy.port, { path: '/leak-body' });
    assert.equal(response.status, 403);
    assert.doesNotMatch(response.body, /secret-leak/);
    const id = idFrom(response);
    await proxy.observer.waitForReports(8);
    assert.equal(proxy.observer.report(id).interruptionRuleId, 4);
  });

  it('passes clean requests with their response body', async () => {
    const response = await send(proxy.port, { path: '/fine' });
    assert.equal(response.status, 200);
    assert.equal(response.body, 'fine');
  });
});

describe('engine failures', () => {
  it('fail open: an engine that throws forwards the request, logs at error level, never crashes', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { path: '/engine-throws?q=attack' });
      assert.equal(response.status, 200);
      const id = idFrom(response);
      await proxy.observer.waitForReports(1);
      assert.equal(proxy.observer.report(id).verdict, 'error');
      assert.equal(proxy.observer.engineErrors[0]?.id, id);
      assert.ok(proxy.logger.entries.some((e) => e.level === 'error'));
      // The process and the proxy still serve.
      const next = await send(proxy.port, { path: '/?q=attack' });
      assert.equal(next.status, 403);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('fail open when wafFor throws', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({
      waf: new FakeWaf(),
      wafFor: () => {
        throw new Error('ruleset missing');
      },
      upstreams: [upstream.url],
    });
    try {
      const response = await send(proxy.port, { path: '/?q=attack' });
      assert.equal(response.status, 200);
      assert.equal(proxy.observer.engineErrors.length, 1);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('an observer that throws does not break the request', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    proxy.observer.transactionEnd = () => {
      throw new Error('observer bug');
    };
    try {
      assert.equal((await send(proxy.port, { path: '/' })).status, 200);
      assert.equal((await send(proxy.port, { path: '/' })).status, 200);
      assert.ok(proxy.logger.entries.some((e) => e.msg?.includes('observer')));
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});


describe('Expect: 100-continue', () => {
  const exchange = (port: number, path: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write(`POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        // The body goes only after an interim 100.
        if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !text.includes('hello')) {
          text += 'hello';
          socket.write('hello');
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });

  it('sends 100 Continue only after the request head passed the rules', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const blocked = await exchange(proxy.port, '/?q=attack');
      assert.match(blocked, /^HTTP\/1\.1 403 /, 'a blocked client gets no 100 and never uploads');
      const clean = await exchange(proxy.port, '/upload');
      assert.match(clean, /^HTTP\/1\.1 100 Continue\r\n\r\nhelloHTTP\/1\.1 200 /);
      assert.equal(upstream.seen.at(-1)?.body.toString(), 'hello');
      assert.equal(upstream.seen.length, 1);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
