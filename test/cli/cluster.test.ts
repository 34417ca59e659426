/**
 * `picket run --workers 2` end to end through bin/picket: both workers serve
 * and block on the shared port, /metrics sums the workers' counters, every
 * audit line written under concurrent load is whole JSON, SIGHUP reloads every
 * worker and reopens the audit log, a killed worker is
 * replaced, and SIGTERM drains an in-flight request before exiting 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, spawnPicket } from './helpers.ts';


/** One request on a fresh connection (so that the primary's round-robin spreads them over the workers). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function metricValue(text: string, pattern: RegExp): number {
  const match = text.match(pattern);
  return match ? Number(match[1]) : 0;
}

/** Polls until check() returns a value (bounded: 100 tries, 100 ms apart). */
async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('run --workers 2: shared port, summed metrics, whole audit lines, worker restart, drain on SIGTERM', async () => {
  let release: (() => void) | undefined;
  let arrived: (() => void) | undefined;
  const upstream = createServer((req, res) => {
    if (req.url === '/slow') {
      arrived?.();
      release = () => res.writeHead(200, { 'content-type': 'text/plain' }).end('slow done');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'picket-cluster-'));
  const auditPath = join(dir, 'audit.jsonl');
  const [port, adminPort] = [await freePort(), await freePort()];
  const picket = spawnPicket(['run', '--workers', '2', '--listen', `127.0.0.1:${port}`, '--admin', `127.0.0.1:${adminPort}`], {
    PICKET_UPSTREAM: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    PICKET_AUDIT_LOG: auditPath,
    PICKET_LOG_LEVEL: 'info',
  });
  const admin = `http://127.0.0.1:${adminPort}`;
  const workerPids = (): Set<number> => new Set([...picket.output().matchAll(/"pid":(\d+),"name":"picket","worker":\d+,.*"msg":"picket started"/g)].map((m) => Number(m[1])));
  try {
    await picket.waitFor(/"role":"primary".*"workers":2.*"msg":"picket started"/);
    assert.equal(workerPids().size, 2);
    assert.equal((await fetch(`${admin}/readyz`)).status, 200);

    // Concurrent load, bounded: 60 allowed and 60 blocked requests, 12 at a time. The attacks carry a 6 KiB
    // header so that audit lines are larger than a pipe's atomic write size.
    const padding = 'p'.repeat(6144);
    const jobs = Array.from({ length: 120 }, (_, i) => i);
    const results: { status: number; attack: boolean }[] = [];
    for (let i = 0; i < jobs.length; i += 12) {
      results.push(...await Promise.all(jobs.slice(i, i + 12).map(async (n) => {
        const attack = n % 2 === 1;
        const { status } = await get(port, attack ? `/?q=%3Cscript%3Ealert(${n})%3C/script%3E` : `/ok/${n}`, { 'x-padding': padding, 'x-crs-test': `tx-${n}` });
        return { status, attack };
      })));
    }
    assert.deepEqual(results.filter((r) => r.attack).map((r) => r.status), Array(60).fill(403));
    assert.deepEqual(results.filter((r) => !r.attack).map((r) => r.status), Array(60).fill(200));
    // Both workers served: each logged blocked requests under its own pid.
    const blockers = new Set([...picket.output().matchAll(/"pid":(\d+),"name":"picket","worker":\d+,"txId"[^\n]*"msg":"request blocked"/g)].map((m) => Number(m[1])));
    assert.deepEqual(blockers, workerPids(), 'both workers handled traffic');

    // /metrics is the sum over the workers.
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    assert.equal(metricValue(metrics, /^picket_requests_total\{mode="inline",verdict="blocked"\} (\d+)$/m), 60);
    assert.equal(metricValue(metrics, /^picket_requests_total\{mode="inline",verdict="allowed"\} (\d+)$/m), 60);
    assert.equal(metricValue(metrics, /^picket_workers_ready (\d+)$/m), 2);
    assert.ok(metricValue(metrics, /^picket_rules_loaded (\d+)$/m) > 0);
    assert.match(metrics, /^picket_build_info\{version="[^"]+"\} 1$/m);

    // Every audit line is whole JSON; one per blocked transaction, none lost or duplicated.
    const lines = await until(() => {
      const text = existsSync(auditPath) ? readFileSync(auditPath, 'utf8') : '';
      const all = text.split('\n').filter(Boolean);
      return all.length >= 60 && text.endsWith('\n') ? all : undefined;
    }, '60 audit lines');
    assert.equal(lines.length, 60);
    const parsed = lines.map((line) => JSON.parse(line) as { verdict: string; testMarker: string; request: { headers: [string, string][] } });
    assert.ok(parsed.every((line) => line.verdict === 'blocked'));
    assert.equal(new Set(parsed.map((line) => line.testMarker)).size, 60);
    assert.ok(parsed.every((line) => line.request.headers.some(([name, value]) => name === 'x-padding' && value.length === 4096 + '…[truncated]'.length)));

    // SIGHUP: every worker recompiles, the primary (the audit log's only writer) reopens the file after rotation.
    renameSync(auditPath, `${auditPath}.1`);
    picket.child.kill('SIGHUP');
    await picket.waitFor(/"msg":"audit log reopened"/);
    await until(() => ([...picket.output().matchAll(/"msg":"ruleset reloaded"/g)].length === 2 ? true : undefined), 'both workers to reload');
    assert.equal((await get(port, '/?q=%3Cscript%3E', { 'x-crs-test': 'after-rotation' })).status, 403);
    await until(() => (existsSync(auditPath) && readFileSync(auditPath, 'utf8').includes('"testMarker":"after-rotation"') ? true : undefined), 'a line in the reopened file');
    assert.equal(readFileSync(`${auditPath}.1`, 'utf8').split('\n').filter(Boolean).length, 60);
    const reloaded = await (await fetch(`${admin}/metrics`)).text();
    assert.equal(metricValue(reloaded, /^picket_ruleset_reloads_total\{result="ok"\} (\d+)$/m), 1, 'one reload, not one per worker');

    // A killed worker is replaced, and readiness returns.
    const [victim] = [...workerPids()];
    process.kill(victim!, 'SIGKILL');
    await picket.waitFor(/"msg":"worker exited unexpectedly; restarting it"/);
    await until(() => (workerPids().size === 3 ? true : undefined), 'a replacement worker');
    await until(async () => ((await fetch(`${admin}/readyz`)).status === 200 ? true : undefined), 'readiness after the restart');
    assert.equal((await get(port, '/')).status, 200);
    const after = await (await fetch(`${admin}/metrics`)).text();
    assert.equal(metricValue(after, /^picket_worker_restarts_total (\d+)$/m), 1);

    // SIGTERM while a request is in flight: it completes, then every process exits and the primary exits 0.
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const slow = get(port, '/slow');
    await reached;
    const exit = picket.stop('SIGTERM');
    await picket.waitFor(/shutting down: draining in-flight requests/);
    release!();
    assert.deepEqual(await slow, { status: 200, body: 'slow done' });
    assert.equal(await exit, 0);
    for (const pid of workerPids()) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} exited`);
  } finally {
    await picket.stop('SIGKILL');
    for (const pid of workerPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
});

test('run --workers 2 with a broken ruleset exits 1 with the file:line of the error', async () => {
  const picket = spawnPicket([
    'run', '--workers', '2', '--listen', `127.0.0.1:${await freePort()}`, '--admin', 'off', '--upstream', 'http://127.0.0.1:1',
    '--rules', new URL('./fixtures/broken.conf', import.meta.url).pathname, '--log-level', 'error',
  ]);
  const code = await new Promise<number | null>((resolve) => picket.child.once('exit', (c) => resolve(c)));
  assert.equal(code, 1);
  assert.match(picket.output(), /WAF_ERR_RULES: ruleset failed to load/);
  assert.match(picket.output(), /broken\.conf:2: unsupported operator @bogus/);
});
