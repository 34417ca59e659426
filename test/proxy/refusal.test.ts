/**
 * Refuse but inspect (docs/http-parsing.md): requests picket's HTTP front
 * refuses are never forwarded, yet the engine sees them first and the report
 * carries what matched. Raw sockets, a real upstream, the fake engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { rawExchange, rawHeader, rawStatusCode, startProxy, startUpstream } from './helpers.ts';
import type { RunningProxy, Upstream } from './helpers.ts';

function idOf(answer: string): string {
  const id = rawHeader(answer, 'x-request-id');
  assert.ok(id, `no X-Request-Id in ${JSON.stringify(answer.slice(0, 200))}`);
  return id;
}

for (const mode of ['inline', 'detect'] as const) {
  describe(`refused requests are inspected (${mode})`, () => {
    let upstream: Upstream;
    let running: RunningProxy;
    let waf: FakeWaf;

    before(async () => {
      upstream = await startUpstream();
      waf = new FakeWaf();
      running = await startProxy({ waf, mode, upstreams: [upstream.url] });
    });
    after(async () => {
      await running.close();
      await upstream.close();
    });

    it('an unknown method: 501 (or the rule’s status inline), engine saw it, never forwarded', async () => {
      const answer = await rawExchange(running.port, 'FOO /attack HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      const id = idOf(answer);
      assert.equal(rawStatusCode(answer), mode === 'inline' ? 403 : 501);
      const tx = waf.tx(id);
      assert.equal(tx.method, 'FOO');
      assert.equal(tx.uri, '/attack');
      assert.deepEqual(tx.calls.slice(0, 3), ['connection', 'uri', 'phase1']);
      await running.observer.waitForReports(running.observer.reports.length);
      const report = running.observer.report(id);
      assert.equal(report.verdict, 'rejected');
      assert.equal(report.request.method, 'FOO');
      assert.deepEqual(report.matchedRules.map((r) => r.id), [1]);
      assert.equal(report.status, mode === 'inline' ? 403 : 501);
      assert.ok(!upstream.seen.some((s) => s.url === '/attack'));
    });

    it('raw non-ASCII bytes in the target: 400 after the engine saw the bytes as received', async () => {
      const answer = await rawExchange(running.port, Buffer.from('GET /get?x=\xe2\x91\xa0 HTTP/1.1\r\nHost: localhost\r\n\r\n', 'latin1'));
      assert.equal(rawStatusCode(answer), 400);
      assert.equal(waf.tx(idOf(answer)).uri, '/get?x=\xe2\x91\xa0');
    });

    it('a body with unambiguous framing is inspected (phase 2)', async () => {
      const answer = await rawExchange(running.port, 'FOO / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nxxattackxx');
      assert.equal(rawStatusCode(answer), mode === 'inline' ? 403 : 501);
      const tx = waf.tx(idOf(answer));
      assert.equal(Buffer.concat(tx.requestBody).toString(), 'xxattackxx');
      assert.ok(tx.calls.includes('phase2'));
    });

    it('Content-Length with Transfer-Encoding: 400, headers inspected, body not', async () => {
      const answer = await rawExchange(running.port,
        'POST /cl-te HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nattack!\r\n0\r\n\r\n');
      assert.equal(rawStatusCode(answer), 400);
      const tx = waf.tx(idOf(answer));
      assert.ok(tx.requestHeaders.some(([n]) => n === 'Transfer-Encoding'));
      assert.equal(tx.requestBodyOffered, 0);
      assert.ok(!upstream.seen.some((s) => s.url === '/cl-te'));
    });

    it('bad Host values and fragments: 400 after inspection', async () => {
      for (const [head, what] of [
        ['GET /h1 HTTP/1.1\r\nHost: localhost%00\r\n', 'percent in Host'],
        ['GET /h2 HTTP/1.1\r\nHost: \r\n', 'empty Host'],
        ['GET /h3#frag HTTP/1.1\r\nHost: localhost\r\n', 'fragment'],
      ] as const) {
        const answer = await rawExchange(running.port, `${head}Connection: close\r\n\r\n`);
        assert.equal(rawStatusCode(answer), 400, what);
        assert.ok(waf.tx(idOf(answer)).calls.includes('phase2'), what);
      }
      assert.ok(!upstream.seen.some((s) => /^\/h[123]/.test(s.url)));
    });

    it('CONNECT: 405 when well-formed, 400 without a port; both inspected', async () => {
      const good = await rawExchange(running.port, 'CONNECT 1.2.3.4:80 HTTP/1.1\r\nHost: localhost\r\n\r\n');
      assert.equal(rawStatusCode(good), 405);
      assert.equal(waf.tx(idOf(good)).method, 'CONNECT');
      const bad = await rawExchange(running.port, 'CONNECT www.example.org HTTP/1.1\r\nHost: localhost\r\n\r\n');
      assert.equal(rawStatusCode(bad), 400);
    });

    it('HTTP/4.0 gets 505, a malformed version 400', async () => {
      assert.equal(rawStatusCode(await rawExchange(running.port, 'GET / HTTP/4.0\r\nHost: localhost\r\n\r\n')), 505);
      assert.equal(rawStatusCode(await rawExchange(running.port, 'GET / HTTP/0.8\r\nHost: localhost\r\n\r\n')), 400);
    });

    it('a request line without a version (HTTP/0.9) is answered in 0.9 form: the body alone', async () => {
      const answer = await rawExchange(running.port, 'GET /zero-nine \r\nHost: localhost\r\n\r\n');
      assert.match(answer, /^400 Bad Request\nrequest id: \S+\n$/);
      const id = /request id: (\S+)/.exec(answer)![1]!;
      assert.equal(waf.tx(id).protocol, 'HTTP/0.9');
    });

    it('garbage is refused with 400 and reported without a transaction', async () => {
      const before = running.observer.reports.length;
      const answer = await rawExchange(running.port, Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x41, 0x0d, 0x0a, 0x0d, 0x0a]));
      assert.equal(rawStatusCode(answer), 400);
      await running.observer.waitForReports(before + 1);
      assert.equal(running.observer.reports.at(-1)!.verdict, 'rejected');
      assert.deepEqual(running.observer.reports.at(-1)!.matchedRules, []);
    });

    it('a malformed request pipelined after a good one: the good one is answered first, then 400', async () => {
      const answer = await rawExchange(running.port, 'POST /first HTTP/1.1\r\nHost: localhost\r\n\r\n{"id_order":"x"}');
      assert.equal(rawStatusCode(answer), 200);
      assert.match(answer, /POST \/first 0/);
      const second = answer.slice(answer.indexOf('HTTP/1.1', 1));
      assert.equal(rawStatusCode(second), 400);
      assert.equal(rawHeader(second, 'connection'), 'close');
    });

    it('absolute-form: routed and forwarded in origin-form with the target’s host as Host', async () => {
      const answer = await rawExchange(running.port, 'GET http://app.example:8080/abs?q=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n');
      assert.equal(rawStatusCode(answer), 200);
      const seen = upstream.seen.find((s) => s.url === '/abs?q=1');
      assert.ok(seen);
      assert.equal(seen.headers.host, 'app.example:8080');
      assert.equal(waf.tx(idOf(answer)).uri, 'http://app.example:8080/abs?q=1');
    });

    it('HTTP/1.0 without Host and a colon in the path are accepted', async () => {
      assert.equal(rawStatusCode(await rawExchange(running.port, 'GET /ten HTTP/1.0\r\n\r\n')), 200);
      assert.equal(rawStatusCode(await rawExchange(running.port, 'GET /get/index.html:80?a=b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')), 200);
    });
  });
}
