/**
 * The composition root with a fake discovery provider: readiness follows
 * routes, snapshots reach the proxy, per-route WAF options compile their own
 * ruleset, and close() drains and flushes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.ts';
import type { Provider, Snapshot } from '../../src/discovery/types.ts';
import { startPicket } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { WafError } from '../../src/errors.ts';
import { denying, reloadFixture, statusOf } from './reload-fixture.ts';

/** GET with a Host header (fetch does not let a caller set Host). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function quietLogger() {
  return createLogger({ level: process.env.DEBUG_LOG ? 'debug' : 'error', destination: new Writable({ write(c, _e, done) { if (process.env.DEBUG_LOG) process.stderr.write(c); done(); } }) });
}

test('swarm-style provider: 503 until routes exist, then traffic flows; route options compile', async () => {
  const upstream = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`app:${req.url}`));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  let emit: ((snapshot: Snapshot) => void) | undefined;
  let stopped = false;
  const provider: Provider = {
    async start(onSnapshot) { emit = onSnapshot; },
    async stop() { stopped = true; },
  };
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'swarm', value: 'ingress' }, { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: '127.0.0.1:0' },
    ],
  });
  const picket = await startPicket(config, { provider, logger: quietLogger() });
  const admin = `http://127.0.0.1:${picket.adminPort}`;
  try {
    const before = await fetch(`${admin}/readyz`);
    assert.equal(before.status, 503);
    assert.match(await before.text(), /no routes yet/);

    emit!({
      routes: [
        { service: 'shop', hosts: ['shop.local'], pathPrefix: '/', endpoints: [origin], waf: {} },
        { service: 'legacy', hosts: ['legacy.local'], pathPrefix: '/', endpoints: [origin], waf: { mode: 'detect', removeRuleIds: [1515001] } },
      ],
    });
    assert.equal((await fetch(`${admin}/readyz`)).status, 200);

    const attack = "/?id=1'%20OR%20'1'='1";
    const blocked = await get(picket.proxyPort, attack, 'shop.local');
    assert.equal(blocked.status, 403);
    // The legacy route is routed once its own ruleset has compiled (in slices): 404 until then.
    let waited = 0;
    while ((await get(picket.proxyPort, '/', 'legacy.local')).status === 404 && waited < 500) {
      waited++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Its own ruleset runs DetectionOnly: recorded, forwarded.
    const detected = await get(picket.proxyPort, attack, 'legacy.local');
    assert.equal(detected.status, 200, `after ${waited} answers 404`);
    assert.equal(detected.body, `app:${attack}`);
    const metrics = await picket.metrics.registry.metrics();
    assert.match(metrics, /^picket_rule_matches_total\{rule_id="1515001"\} 1$/m, 'the legacy route does not run 1515001');
    assert.match(metrics, /^picket_rule_matches_total\{rule_id="1515000"\} 2$/m);
    assert.match(metrics, /^picket_rules_loaded \d+$/m);
  } finally {
    await picket.close(1000);
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
  assert.equal(stopped, true);
});

test('a broken ruleset fails start-up with WAF_ERR_RULES and file:line details', async () => {
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'upstream', value: 'http://127.0.0.1:1' }, { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: 'off' },
      { flag: 'rules', value: new URL('./fixtures/broken.conf', import.meta.url).pathname },
    ],
  });
  await assert.rejects(startPicket(config, { logger: quietLogger() }), (error: unknown) => {
    assert.ok(error instanceof WafError);
    assert.equal(error.code, 'WAF_ERR_RULES');
    assert.ok(error.details.some((d) => /broken\.conf:2: unsupported operator @bogus/i.test(d)), error.details.join('\n'));
    return true;
  });
});

test('an occupied port fails with WAF_ERR_LISTEN and releases the admin port', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const config = loadConfig({
      env: {},
      flags: [{ flag: 'upstream', value: 'http://127.0.0.1:1' }, { flag: 'listen', value: `127.0.0.1:${port}` }, { flag: 'admin', value: '127.0.0.1:0' }],
    });
    await assert.rejects(startPicket(config, { logger: quietLogger() }), { code: 'WAF_ERR_LISTEN' });
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('reload swaps in recompiled rules; a broken file keeps the running ruleset', async () => {
  const { config, rules, closeUpstream } = await reloadFixture();
  const picket = await startPicket(config, { logger: quietLogger() });
  const status = (value: string): Promise<number> => statusOf(picket.proxyPort, '/', { 'x-block': value });
  try {
    assert.equal(await status('a'), 403);
    assert.equal(await status('b'), 200);
    writeFileSync(rules, denying('b'));
    assert.deepEqual(await picket.reload(), { ok: true, rules: picket.waf.ruleCount });
    assert.equal(await status('a'), 200);
    assert.equal(await status('b'), 403);
    writeFileSync(rules, 'SecRule ARGS "@bogus" "id:78,phase:2,deny"\n');
    const failed = await picket.reload();
    assert.equal(failed.ok, false);
    assert.equal(await status('b'), 403, 'the previous ruleset stays in force');
    const metrics = await picket.metrics.registry.metrics();
    assert.match(metrics, /^picket_ruleset_reloads_total\{result="ok"\} 1$/m);
    assert.match(metrics, /^picket_ruleset_reloads_total\{result="error"\} 1$/m);
  } finally {
    await picket.close(1000);
    await closeUpstream();
  }
});

test('--body-buffer-bytes reaches the proxy: a body past the budget gets 503 inline', async () => {
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'upstream', value: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
      { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: 'off' }, { flag: 'body-buffer-bytes', value: '1KiB' },
    ],
  });
  const picket = await startPicket(config, { logger: quietLogger() });
  const post = (size: number): Promise<number> => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: picket.proxyPort, path: '/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(`a=${'x'.repeat(size)}`);
  });
  try {
    assert.equal(await post(100), 200);
    assert.equal(await post(4096), 503);
  } finally {
    await picket.close(1000);
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
});
