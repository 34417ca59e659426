/**
 * Balancing across real upstreams (round-robin, ejection, retry), route
 * table swaps under traffic, and graceful close.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { send, startProxy, startUpstream } from './helpers.ts';
import type { Upstream } from './helpers.ts';

const named = (name: string): Promise<Upstream> =>
  startUpstream((_req, res) => {
    res.setHeader('x-served-by', name);
    res.end(name);
  });

describe('balancing', () => {
  it('round-robins across endpoints', async () => {
    const a = await named('a');
    const b = await named('b');
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [a.url, b.url] });
    try {
      const bodies: string[] = [];
      for (let i = 0; i < 4; i++) bodies.push((await send(proxy.port)).body);
      assert.deepEqual(bodies, ['a', 'b', 'a', 'b']);
    } finally {
      await proxy.close();
      await a.close();
      await b.close();
    }
  });

  it('retries an idempotent request once elsewhere when a connection is refused, and ejects the endpoint', async () => {
    const dead = await named('dead');
    await dead.close();
    const alive = await named('alive');
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [dead.url, alive.url] });
    try {
      const first = await send(proxy.port, { path: '/r' });
      assert.equal(first.status, 200);
      assert.equal(first.body, 'alive');
      assert.deepEqual(proxy.observer.upstreamErrors, [{ kind: 'connect', upstream: dead.url }]);
      // Ejected: the next requests go straight to the live endpoint.
      for (let i = 0; i < 3; i++) assert.equal((await send(proxy.port)).body, 'alive');
      assert.equal(proxy.observer.upstreamErrors.length, 1);
    } finally {
      await proxy.close();
      await alive.close();
    }
  });

  it('does not retry a POST', async () => {
    const dead = await named('dead');
    await dead.close();
    const alive = await named('alive');
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [dead.url, alive.url] });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/p', body: 'x' });
      assert.equal(response.status, 502);
      assert.equal(alive.seen.length, 0);
    } finally {
      await proxy.close();
      await alive.close();
    }
  });

  it('least-pending sends new requests away from a busy endpoint', async () => {
    let release: (() => void) | undefined;
    const busy = await startUpstream((_req, res) => {
      release = () => res.end('busy');
    });
    const idle = await named('idle');
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [busy.url, idle.url], balancing: 'least-pending' });
    try {
      const slow = send(proxy.port, { path: '/slow' });
      while (busy.seen.length === 0) await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 3; i++) assert.equal((await send(proxy.port)).body, 'idle');
      release!();
      assert.equal((await slow).body, 'busy');
    } finally {
      await proxy.close();
      await busy.close();
      await idle.close();
    }
  });
});

describe('route table swap', () => {
  it('routes new requests to the new table while an in-flight request finishes on the old endpoint', async () => {
    let release: (() => void) | undefined;
    const old = await startUpstream((_req, res) => {
      release = () => res.end('old');
    });
    const fresh = await named('new');
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [old.url] });
    try {
      const inFlight = send(proxy.port, { path: '/long' });
      while (old.seen.length === 0) await new Promise((r) => setImmediate(r));
      proxy.proxy.applySnapshot({ routes: [{ service: 'web', hosts: [], pathPrefix: '/', endpoints: [fresh.url], waf: {} }] });
      assert.equal((await send(proxy.port)).body, 'new');
      release!();
      const drained = await inFlight;
      assert.equal(drained.status, 200);
      assert.equal(drained.body, 'old');
      await proxy.observer.waitForReports(2);
      assert.equal(proxy.observer.reports.find((r) => r.request.uri === '/long')?.service, 'static');
      assert.equal(proxy.observer.reports.find((r) => r.request.uri === '/')?.service, 'web');
    } finally {
      await proxy.close();
      await old.close();
      await fresh.close();
    }
  });

  it('routes by Host and path prefix (ingress)', async () => {
    const shop = await named('shop');
    const api = await named('api');
    const proxy = await startProxy({ waf: new FakeWaf() });
    try {
      proxy.proxy.applySnapshot({
        routes: [
          { service: 'shop', hosts: ['shop.example'], pathPrefix: '/', endpoints: [shop.url], waf: {} },
          { service: 'api', hosts: ['shop.example'], pathPrefix: '/api', endpoints: [api.url], waf: {} },
        ],
      });
      assert.equal((await send(proxy.port, { path: '/api/items', headers: { host: 'shop.example:8080' } })).body, 'api');
      assert.equal((await send(proxy.port, { path: '/cart', headers: { host: 'SHOP.example' } })).body, 'shop');
      assert.equal((await send(proxy.port, { path: '/', headers: { host: 'other.example' } })).status, 404);
    } finally {
      await proxy.close();
      await shop.close();
      await api.close();
    }
  });

  it('uses the ruleset wafFor returns for the matched route', async () => {
    const app = await named('app');
    const strict = new FakeWaf();
    const off = new FakeWaf({ ruleEngine: 'Off' });
    const proxy = await startProxy({ waf: strict, wafFor: (route) => (route?.service === 'lenient' ? off : strict) });
    try {
      proxy.proxy.applySnapshot({
        routes: [
          { service: 'strict', hosts: ['strict.example'], pathPrefix: '/', endpoints: [app.url], waf: {} },
          { service: 'lenient', hosts: ['lenient.example'], pathPrefix: '/', endpoints: [app.url], waf: {} },
        ],
      });
      assert.equal((await send(proxy.port, { path: '/?q=attack', headers: { host: 'strict.example' } })).status, 403);
      assert.equal((await send(proxy.port, { path: '/?q=attack', headers: { host: 'lenient.example' } })).status, 200);
    } finally {
      await proxy.close();
      await app.close();
    }
  });
});

describe('graceful close', () => {
  it('lets an in-flight request finish and refuses new connections', async () => {
    let release: (() => void) | undefined;
    const upstream = await startUpstream((_req, res) => {
      release = () => res.end('finished');
    });
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const inFlight = send(proxy.port, { path: '/long' });
      while (upstream.seen.length === 0) await new Promise((r) => setImmediate(r));
      const closing = proxy.proxy.close(10_000);
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect(proxy.port, '127.0.0.1');
        socket.on('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.on('error', () => resolve(true));
      });
      assert.equal(refused, true, 'new connections are refused while closing');
      release!();
      const response = await inFlight;
      assert.equal(response.status, 200);
      assert.equal(response.body, 'finished');
      await closing;
    } finally {
      await upstream.close();
    }
  });

  it('cuts what is still running when the grace time is over', async () => {
    const upstream = await startUpstream(() => undefined);
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const inFlight = send(proxy.port, { path: '/never' }).then(
        () => 'answered',
        () => 'cut',
      );
      while (upstream.seen.length === 0) await new Promise((r) => setImmediate(r));
      await proxy.proxy.close(100);
      assert.equal(await inFlight, 'cut');
    } finally {
      await upstream.close();
    }
  });
});

describe('connection reset before the response', () => {
  it('retries an idempotent request once (same endpoint allowed), but not a POST', async () => {
    let resets = 1;
    const upstream = await startUpstream((_req, res) => {
      if (resets > 0) {
        resets--;
        res.socket?.destroy();
        return;
      }
      res.end('second try');
    });
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { path: '/reset' });
      assert.equal(response.status, 200);
      assert.equal(response.body, 'second try');
      assert.deepEqual(proxy.observer.upstreamErrors.map((e) => e.kind), ['reset']);
      resets = 1;
      const post = await send(proxy.port, { method: 'POST', path: '/reset', body: 'x' });
      assert.equal(post.status, 502);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
