/**
 * The async loader (createWafAsync / loadRulesetAsync, used by SIGHUP reloads):
 * it builds the same ruleset as the sync one, reports the same file:line
 * errors, and lets the event loop run while CRS compiles. The last is measured
 * against the sync load in the same test (no absolute time thresholds): each
 * load runs cold in its own worker thread, and the longest stretch without a
 * timer tick during the async load is a fraction of the sync load's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createWaf, createWafAsync, loadRuleset, loadRulesetAsync, RulesetError } from '../../src/engine/index.ts';
import type { RuleSource, Waf } from '../../src/engine/api.ts';
import type { WafImpl } from '../../src/engine/waf.ts';

const CRS = new URL('../../../shared/crs-4.28.0/', import.meta.url).pathname;
const crs: RuleSource[] = [
  { file: `${CRS}crs-setup.conf.example` },
  { text: 'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"', name: 'pl1.conf' },
  { file: `${CRS}rules/*.conf` },
];

/** Rule ids (markers by name) per phase, in evaluation order. */
function layout(waf: Waf): string[][] {
  return (waf as WafImpl).phases.map((rules) => rules.map((r) => (r.marker !== undefined ? `marker:${r.marker}` : `${r.id}${r.removed ? ' removed' : ''}`)));
}

interface Blocking {
  /** Longest time the worker's event loop went without running a 1 ms timer, ms of the worker thread's CPU. */
  readonly longestGap: number;
  /** The same in wall-clock time (includes time the machine gave to other processes). */
  readonly longestGapWall: number;
  readonly ticks: number;
  readonly rules: number;
}

/** Loads CRS in a fresh worker thread (cold caches, like a process start) and reports how long its event loop was blocked. */
function loadInWorker(mode: 'sync' | 'async'): Promise<Blocking> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-blocking-worker.ts', import.meta.url), { workerData: { mode, crs: CRS } });
    worker.once('message', (m: Blocking) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load worker exited with ${code} before reporting`)));
  });
}

test('the async load of CRS builds the same ruleset as the sync load', async () => {
  const sync = createWaf(crs);
  const async = await createWafAsync(crs, { sliceMs: 1 });
  assert.ok(sync.ruleCount > 500, `is ../shared/crs-4.28.0 present? ${sync.ruleCount} rules`);
  assert.equal(async.ruleCount, sync.ruleCount);
  assert.deepEqual(layout(async), layout(sync));
  assert.deepEqual(async.settings, sync.settings);
});

test('the async load reports the same file:line errors, Include and chains included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-async-'));
  writeFileSync(join(dir, 'inner.conf'), 'SecRule ARGS "@bogus x" "id:2,phase:2,deny"\nSecRuleEngine Sometimes\n');
  writeFileSync(join(dir, 'main.conf'), [
    'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"',
    'SecAction "id:3,phase:2,pass"',
    'Include inner.conf',
    'Include missing-*.conf',
    'Include',
    'SecRule ARGS "unterminated',
    'SecRule ARGS "@rx b" "id:4,phase:2,deny"',
  ].join('\n'));
  const sources: RuleSource[] = [{ file: join(dir, 'main.conf') }];
  const sync = loadRuleset(sources);
  const async = await loadRulesetAsync(sources, { sliceMs: 0 });
  const lines = (errors: readonly { format(): string }[]): string[] => errors.map((e) => e.format());
  assert.ok(sync.errors.length >= 5, lines(sync.errors).join('\n'));
  assert.deepEqual(lines(async.errors), lines(sync.errors));
  assert.ok(lines(async.errors).some((l) => l.startsWith(`${join(dir, 'inner.conf')}:1: `)), lines(async.errors).join('\n'));
  assert.deepEqual(layout(async.waf), layout(sync.waf));
  await assert.rejects(createWafAsync(sources), (e: unknown) => e instanceof RulesetError && e.errors.length === sync.errors.length);
});

test('while CRS loads asynchronously the event loop keeps running; the sync load blocks it throughout', async () => {
  // Each load in its own fresh worker, one after the other: both start cold and do the same work.
  const sync = await loadInWorker('sync');
  const async = await loadInWorker('async');
  assert.equal(async.rules, sync.rules);
  assert.ok(sync.ticks <= 2, `sync load: ${sync.ticks} timer ticks`);
  assert.ok(async.ticks >= 10, `async load: only ${async.ticks} timer ticks`);
  // Longest single stretch: a slice plus the longest directive (a big CRS regex), against the whole load.
  // CPU time of the loading thread, so that the machine's other load cannot stretch either figure.
  assert.ok(
    async.longestGap * 4 < sync.longestGap,
    `longest event-loop block: async ${async.longestGap.toFixed(1)} ms vs sync ${sync.longestGap.toFixed(1)} ms`,
  );
  const ms = (b: Blocking): string => `${b.longestGap.toFixed(0)} ms CPU (${b.longestGapWall.toFixed(0)} ms wall)`;
  console.log(`# longest event-loop block: sync load ${ms(sync)}, async load ${ms(async)}, ${async.ticks} timer ticks`);
});
