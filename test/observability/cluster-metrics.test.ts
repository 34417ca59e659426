/** Aggregating the workers' registries for the primary's /metrics: sums, except the values every worker shares. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateMetrics, createMetrics, createPrimaryMetrics } from '../../src/observability/metrics.ts';

test('counters, histograms and mirror queue depth sum; rules loaded, reloads and build info do not', async () => {
  const workers = [createMetrics({ version: '9.9.9', defaultMetrics: false }), createMetrics({ version: '9.9.9', defaultMetrics: false })];
  const [a, b] = workers as [ReturnType<typeof createMetrics>, ReturnType<typeof createMetrics>];
  a.requests.inc({ mode: 'inline', verdict: 'blocked' }, 3);
  b.requests.inc({ mode: 'inline', verdict: 'blocked' }, 4);
  b.requests.inc({ mode: 'inline', verdict: 'allowed' }, 2);
  a.mirrorQueueDepth.set(5);
  b.mirrorQueueDepth.set(6);
  a.engineSeconds.observe(0.001);
  b.engineSeconds.observe(0.002);
  for (const m of workers) {
    m.rulesLoaded.set(28);
    m.reloads.inc({ result: 'ok' });
  }
  const primary = createPrimaryMetrics();
  primary.workersReady.set(2);
  primary.workerRestarts.inc();
  primary.auditDropped.inc(2);
  a.auditDropped.inc(1);

  const parts = await Promise.all([a.registry.getMetricsAsJSON(), b.registry.getMetricsAsJSON(), primary.registry.getMetricsAsJSON()]);
  const text = await aggregateMetrics(parts).metrics();
  assert.match(text, /^picket_requests_total\{mode="inline",verdict="blocked"\} 7$/m);
  assert.match(text, /^picket_requests_total\{mode="inline",verdict="allowed"\} 2$/m);
  assert.match(text, /^picket_mirror_queue_depth 11$/m);
  assert.match(text, /^picket_engine_seconds_count 2$/m);
  assert.match(text, /^picket_rules_loaded 28$/m);
  assert.match(text, /^picket_ruleset_reloads_total\{result="ok"\} 1$/m);
  assert.match(text, /^picket_build_info\{version="9\.9\.9"\} 1$/m);
  assert.match(text, /^picket_workers_ready 2$/m);
  assert.match(text, /^picket_worker_restarts_total 1$/m);
  assert.match(text, /^picket_audit_dropped_total 3$/m, 'the primary writer and the workers channels');
});
