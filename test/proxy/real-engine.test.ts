/**
 * The proxy with the real SecLang engine (src/engine) and inline rules:
 * blocking without rule details, body inspection before forwarding, and the
 * body limits (Reject → 413, ProcessPartial → only the first bytes inspected,
 * the whole body forwarded).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createWaf } from '../../src/engine/index.ts';
import { CONTRACT_RULES } from './engines.ts';
import { idFrom, send, startProxy, startUpstream } from './helpers.ts';

const MiB = 1024 * 1024;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('real engine: inline blocking', () => {
  it('blocks in phase 1 and 2 without revealing the rule, and forwards nothing', async () => {
    const upstream = await startUpstream();
    const waf = createWaf([{ text: CONTRACT_RULES, name: 'contract.conf' }]);
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const head = await send(proxy.port, { path: '/?q=attack' });
      assert.equal(head.status, 403);
      assert.equal(head.body, `403 Forbidden\nrequest id: ${idFrom(head)}\n`);
      const body = await send(proxy.port, { method: 'POST', path: '/f', headers: form, body: 'a=1&b=an+attack' });
      assert.equal(body.status, 403);
      assert.doesNotMatch(body.body, /attack|rule|contract\.conf/);
      assert.equal(upstream.connections, 0);
      const clean = await send(proxy.port, { method: 'POST', path: '/f', headers: form, body: 'a=1&b=fine' });
      assert.equal(clean.status, 200);
      assert.equal(upstream.seen.at(-1)?.body.toString(), 'a=1&b=fine');
      await proxy.observer.waitForReports(3);
      const report = proxy.observer.report(idFrom(body));
      assert.equal(report.verdict, 'blocked');
      assert.equal(report.interruptionRuleId, 2);
      assert.equal(report.matchedRules[0]?.msg, 'attack in the body');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('real engine: body limits', () => {
  // ModSecurity v2 rejects a body over SecRequestBodyNoFilesLimit whatever the
  // action, so the ProcessPartial case sets that limit above its 20 MiB body.
  const limited = (action: 'Reject' | 'ProcessPartial', noFiles = MiB): string =>
    `${CONTRACT_RULES}\nSecRequestBodyLimit ${MiB}\nSecRequestBodyNoFilesLimit ${noFiles}\nSecRequestBodyLimitAction ${action}\n`;

  it('Reject: a body over the limit gets 413 and is not forwarded', async () => {
    const upstream = await startUpstream();
    const waf = createWaf([{ text: limited('Reject'), name: 'limits.conf' }]);
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      const response = await send(proxy.port, { method: 'POST', path: '/up', headers: form, body: `a=${'x'.repeat(2 * MiB)}` });
      assert.equal(response.status, 413);
      assert.match(response.body, new RegExp(idFrom(response)));
      assert.equal(upstream.connections, 0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('ProcessPartial: inspects the first MiB, forwards all 20 MiB intact', async () => {
    const upstream = await startUpstream((_req, res, body) => res.end(createHash('sha256').update(body).digest('hex')));
    const waf = createWaf([{ text: limited('ProcessPartial', 64 * MiB), name: 'limits.conf' }]);
    const proxy = await startProxy({ waf, upstreams: [upstream.url] });
    try {
      // `attack` only past the first MiB: not inspected, so forwarded.
      const late = Buffer.concat([Buffer.from('a='), Buffer.alloc(20 * MiB, 'x'), Buffer.from('&b=attack')]);
      const response = await send(proxy.port, { method: 'POST', path: '/late', headers: form, body: late });
      assert.equal(response.status, 200);
      assert.equal(response.body, createHash('sha256').update(late).digest('hex'));
      // `attack` within the first MiB: inspected and blocked.
      const early = Buffer.concat([Buffer.from('b=attack&a='), Buffer.alloc(3 * MiB, 'x')]);
      assert.equal((await send(proxy.port, { method: 'POST', path: '/early', headers: form, body: early })).status, 403);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
