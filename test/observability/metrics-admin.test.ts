import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createAdminServer } from '../../src/observability/admin.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createObserver } from '../../src/observability/observer.ts';
import { report } from './fixtures.ts';

const NAMES = [
  'picket_requests_total', 'picket_rule_matches_total', 'picket_engine_seconds', 'picket_upstream_errors_total',
  'picket_mirror_queue_depth', 'picket_mirror_dropped_total', 'picket_audit_dropped_total', 'picket_engine_errors_total',
  'picket_rules_loaded', 'picket_ruleset_reloads_total', 'picket_build_info', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds',
];

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write(c, _e, done) { text += String(c); done(); } }), text: () => text };
}

test('observer feeds metrics and logs; metric names are stable', async () => {
  const metrics = createMetrics({ version: '0.1.0' });
  const out = sink();
  const observer = createObserver({ logger: createLogger({ level: 'info', destination: out.stream }), metrics });
  observer.transactionEnd(report());
  observer.transactionEnd(report({ id: 'tx-2', verdict: 'allowed', matchedRules: [], auditRelevant: false }));
  observer.upstreamError('connect', 'http://10.0.0.1:80');
  observer.mirrorQueueDepth(7);
  observer.mirrorDropped();
  observer.engineError(new Error('boom'), 'tx-3');
  const text = await metrics.registry.metrics();
  for (const name of NAMES) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.match(text, /^picket_requests_total\{mode="inline",verdict="blocked"\} 1$/m);
  assert.match(text, /^picket_requests_total\{mode="inline",verdict="allowed"\} 1$/m);
  assert.match(text, /^picket_rule_matches_total\{rule_id="1515000"\} 1$/m);
  assert.match(text, /^picket_upstream_errors_total\{kind="connect"\} 1$/m);
  assert.match(text, /^picket_mirror_queue_depth 7$/m);
  assert.match(text, /^picket_mirror_dropped_total 1$/m);
  assert.match(text, /^picket_engine_errors_total 1$/m);
  assert.match(text, /^picket_engine_seconds_count 2$/m);
  assert.match(text, /^picket_build_info\{version="0.1.0"\} 1$/m);
  const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const blocked = lines.find((l) => l.msg === 'request blocked')!;
  assert.equal(blocked.txId, 'tx-1');
  assert.deepEqual(blocked.rules, [1515000]);
  assert.equal((blocked.request as { uri: string }).uri, "/?id=1'%20OR%20'1'='1");
  assert.ok(!out.text().includes('secret-token'));
  assert.ok(lines.some((l) => l.msg === 'rule engine error' && l.txId === 'tx-3'));
});

test('admin: /healthz, /readyz follows readiness, /metrics, 404 and 405', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  let ready = false;
  const admin = createAdminServer({ registry: metrics.registry, readiness: () => (ready ? { ready } : { ready, reason: 'no routes yet' }) });
  const { port } = await admin.listen('127.0.0.1', 0);
  const base = `http://127.0.0.1:${port}`;
  try {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const notReady = await fetch(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(await notReady.text(), /no routes yet/);
    ready = true;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const scrape = await fetch(`${base}/metrics`);
    assert.equal(scrape.status, 200);
    assert.match(scrape.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await scrape.text(), /picket_requests_total/);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
  } finally {
    await admin.close();
  }
});

test('observer survives a failing audit log and rate-limits upstream error lines', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const out = sink();
  const failing = { record(): boolean { throw new Error('disk full'); }, append(): void { throw new Error('disk full'); }, flush: async () => {}, reopen: async () => {}, close: async () => {}, dropped: 0 };
  const observer = createObserver({ logger: createLogger({ level: 'info', destination: out.stream }), metrics, audit: failing });
  observer.transactionEnd(report());
  observer.transactionEnd(report({ id: 'tx-2' }));
  for (let i = 0; i < 100; i++) observer.upstreamError('connect', 'http://10.0.0.9:80');
  const text = await metrics.registry.metrics();
  assert.match(text, /^picket_audit_dropped_total 2$/m);
  assert.match(text, /^picket_upstream_errors_total\{kind="connect"\} 100$/m);
  const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.filter((l) => l.msg === 'audit log write failed').length, 1);
  assert.equal(lines.filter((l) => l.msg === 'upstream error').length, 1);
});
