/**
 * One suite, run against every mode. Each case states what the client gets
 * and what the report says; the differences between modes are in the table:
 *
 *   inline  enforces interruptions (403), forwards only clean requests.
 *   detect  forwards everything unchanged; interruptions become 'would-block'.
 *   mirror  answers 204 at once, never forwards, inspects out of path; no status in the report.
 *
 * It runs against the fake engine and the real one (test/proxy/engines.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Mode } from '../../src/config/types.ts';
import type { Verdict } from '../../src/observability/types.ts';
import { ENGINES } from '../proxy/engines.ts';
import { FakeWaf } from '../proxy/fake-waf.ts';
import { idFrom, send, startProxy, startUpstream } from '../proxy/helpers.ts';
import type { RunningProxy, SimpleRequest, Upstream } from '../proxy/helpers.ts';

interface Expectation {
  readonly status: number;
  readonly forwarded: boolean;
  readonly verdict: Verdict;
  readonly reportStatus: number | undefined;
}

interface Case {
  readonly name: string;
  readonly request: SimpleRequest;
  readonly expect: Record<Mode, Expectation>;
}

const cases: Case[] = [
  {
    name: 'clean request',
    request: { path: '/hello?name=world' },
    expect: {
      inline: { status: 200, forwarded: true, verdict: 'allowed', reportStatus: 200 },
      detect: { status: 200, forwarded: true, verdict: 'allowed', reportStatus: 200 },
      mirror: { status: 204, forwarded: false, verdict: 'allowed', reportStatus: undefined },
    },
  },
  {
    name: 'attack in the query (phase 1)',
    request: { path: '/search?q=attack' },
    expect: {
      inline: { status: 403, forwarded: false, verdict: 'blocked', reportStatus: 403 },
      detect: { status: 200, forwarded: true, verdict: 'would-block', reportStatus: 200 },
      mirror: { status: 204, forwarded: false, verdict: 'would-block', reportStatus: undefined },
    },
  },
  {
    name: 'attack in the body (phase 2)',
    request: { method: 'POST', path: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'comment=an+attack+here' },
    expect: {
      inline: { status: 403, forwarded: false, verdict: 'blocked', reportStatus: 403 },
      detect: { status: 200, forwarded: true, verdict: 'would-block', reportStatus: 200 },
      mirror: { status: 204, forwarded: false, verdict: 'would-block', reportStatus: undefined },
    },
  },
  {
    name: 'engine throws (fail-open)',
    request: { path: '/engine-throws' },
    expect: {
      inline: { status: 200, forwarded: true, verdict: 'error', reportStatus: 200 },
      detect: { status: 200, forwarded: true, verdict: 'error', reportStatus: 200 },
      mirror: { status: 204, forwarded: false, verdict: 'error', reportStatus: undefined },
    },
  },
];

for (const engine of ENGINES) for (const mode of ['inline', 'detect', 'mirror'] as const) {
  describe(`mode contract: ${mode}, ${engine.name} engine`, () => {
    let upstream: Upstream;
    let proxy: RunningProxy;
    const waf = engine.make();

    before(async () => {
      upstream = await startUpstream();
      proxy = await startProxy({ waf, mode, upstreams: [upstream.url] });
    });
    after(async () => {
      await proxy.close();
      await upstream.close();
    });

    for (const c of cases) {
      it(c.name, async () => {
        const expected = c.expect[mode];
        const seenBefore = upstream.seen.length;
        const reportsBefore = proxy.observer.reports.length;
        const response = await send(proxy.port, c.request);
        assert.equal(response.status, expected.status);
        const id = idFrom(response);
        await proxy.observer.waitForReports(reportsBefore + 1);
        const report = proxy.observer.report(id);
        assert.equal(report.mode, mode);
        assert.equal(report.verdict, expected.verdict);
        assert.equal(report.status, expected.reportStatus);
        assert.equal(report.client.address, '127.0.0.1');
        assert.equal(report.request.uri, c.request.path);
        assert.equal(upstream.seen.length - seenBefore, expected.forwarded ? 1 : 0);
        if (expected.verdict === 'would-block' || expected.verdict === 'blocked') {
          assert.equal(report.interruptionStatus, 403);
          assert.ok(report.matchedRules.length > 0);
        }
        // Every mode runs the engine to phase 5.
        if (waf instanceof FakeWaf) assert.equal(waf.tx(id).logged, true);
      });
    }

    // Reads what the fake recorded, so it runs against the fake only; the real
    // engine's view of its inputs is covered by the engine's own suites.
    if (waf instanceof FakeWaf) it('the engine sees the raw request-target, method, protocol and headers in order', async () => {
      const response = await send(proxy.port, { path: '/p%20q?a=%27x', headers: { 'X-First': '1', 'x-second': 'caf\u00e9' } });
      const tx = waf.tx(idFrom(response));
      assert.equal(tx.uri, '/p%20q?a=%27x');
      assert.equal(tx.method, 'GET');
      assert.equal(tx.protocol, 'HTTP/1.1');
      const names = tx.requestHeaders.map(([n]) => n);
      assert.ok(names.indexOf('X-First') < names.indexOf('x-second'));
      // Header values are byte strings: é (UTF-8 C3 A9 on the wire? node sends latin1 E9) arrives one char per byte.
      assert.equal(tx.requestHeaders.find(([n]) => n === 'x-second')?.[1], 'caf\u00e9');
    });
  });
}

describe('DetectionOnly engine under inline mode', () => {
  it('forwards and reports would-block', async () => {
    const upstream = await startUpstream();
    const proxy = await startProxy({ waf: new FakeWaf({ ruleEngine: 'DetectionOnly' }), upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { path: '/?q=attack' });
      assert.equal(response.status, 200);
      await proxy.observer.waitForReports(1);
      const report = proxy.observer.report(idFrom(response));
      assert.equal(report.verdict, 'would-block');
      assert.equal(report.interruptionRuleId, 1);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('response phases in detect mode', () => {
  it('streams the response unchanged and reports what phases 3-4 would have blocked', async () => {
    const upstream = await startUpstream((req, res) => {
      if (req.url === '/leak-header') res.setHeader('X-Leak', '1');
      res.setHeader('content-type', 'text/plain');
      res.end(req.url === '/leak-body' ? 'account: secret-leak' : 'fine');
    });
    const waf = new FakeWaf({ responseBodyAccess: true });
    const proxy = await startProxy({ waf, mode: 'detect', upstreams: [upstream.url] });
    try {
      const body = await send(proxy.port, { path: '/leak-body' });
      assert.equal(body.status, 200);
      assert.equal(body.body, 'account: secret-leak');
      const header = await send(proxy.port, { path: '/leak-header' });
      assert.equal(header.status, 200);
      assert.equal(header.headers['x-leak'], '1');
      await proxy.observer.waitForReports(2);
      assert.equal(proxy.observer.report(idFrom(body)).verdict, 'would-block');
      assert.equal(proxy.observer.report(idFrom(body)).interruptionRuleId, 4);
      assert.equal(proxy.observer.report(idFrom(header)).interruptionRuleId, 3);
      assert.equal(waf.tx(idFrom(body)).responseBodySize, 'account: secret-leak'.length);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
