/**
 * End to end through bin/picket: the demo (403 for SQL injection, 200
 * otherwise), `run` with an audit log, admin endpoints, configuration errors
 * and draining on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, spawnPicket } from './helpers.ts';

test('demo: SQL injection gets 403, a plain request 200, admin answers; SIGTERM exits 0', async () => {
  const picket = spawnPicket(['demo', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
  try {
    const [, port] = await picket.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const [, adminPort] = await picket.waitFor(/admin: http:\/\/127\.0\.0\.1:(\d+)\/metrics/);
    const base = `http://127.0.0.1:${port}`;
    const blocked = await fetch(`${base}/?id=1'%20OR%20'1'='1`);
    assert.equal(blocked.status, 403);
    await blocked.arrayBuffer();
    const ok = await fetch(`${base}/?name=world`);
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json() as { query: unknown }).query, { name: 'world' });
    const admin = `http://127.0.0.1:${adminPort}`;
    assert.equal((await fetch(`${admin}/healthz`)).status, 200);
    assert.equal((await fetch(`${admin}/readyz`)).status, 200);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    assert.match(metrics, /^picket_requests_total\{mode="inline",verdict="blocked"\} 1$/m);
    assert.match(metrics, /^picket_rule_matches_total\{rule_id="1515000"\} 1$/m);
    assert.equal(await picket.stop('SIGTERM'), 0);
  } finally {
    await picket.stop('SIGKILL');
  }
});

test('run: audit line with the X-CRS-Test marker, SIGHUP reload and reopen, drain on SIGTERM', async () => {
  let release: (() => void) | undefined;
  const arrived: (() => void)[] = [];
  const upstream = createServer((req, res) => {
    if (req.url === '/slow') {
      arrived.shift()?.();
      release = () => res.writeHead(200, { 'content-type': 'text/plain' }).end('slow done');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'picket-run-'));
  const auditPath = join(dir, 'audit.jsonl');
  const picket = spawnPicket(['run', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--log-level', 'info'], {
    PICKET_UPSTREAM: upstreamUrl,
    PICKET_AUDIT_LOG: auditPath,
  });
  try {
    const [, port] = await picket.waitFor(/"listen":"127\.0\.0\.1:(\d+)"/);
    const base = `http://127.0.0.1:${port}`;
    const attack = await fetch(`${base}/?q=%3Cscript%3Ealert(1)%3C/script%3E`, { headers: { 'X-CRS-Test': 'marker-42', Authorization: 'Bearer hush' } });
    assert.equal(attack.status, 403);
    await attack.arrayBuffer();
    const plain = await fetch(`${base}/`);
    assert.equal(await plain.text(), 'hello');

    // The audit line is written promptly; wait for it (bounded).
    let lines: Record<string, unknown>[] = [];
    for (let i = 0; i < 50 && lines.length === 0; i++) {
      if (existsSync(auditPath)) lines = readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      if (lines.length === 0) await sleep(100);
    }
    assert.equal(lines.length, 1, 'only the matching transaction is audited');
    const line = lines[0]!;
    assert.equal(line.testMarker, 'marker-42');
    assert.equal(line.verdict, 'blocked');
    assert.equal(line.status, 403);
    assert.equal(line.mode, 'inline');
    const headers = (line.request as { headers: [string, string][] }).headers;
    assert.ok(headers.some(([n, v]) => n.toLowerCase() === 'x-crs-test' && v === 'marker-42'));
    assert.ok(headers.some(([n, v]) => n.toLowerCase() === 'authorization' && v === '[redacted]'));
    const rules = line.rules as { id: number; matchedVar: string; matchedValue: string }[];
    assert.ok(rules.some((r) => r.id === 1516000 && r.matchedVar === 'ARGS:q' && r.matchedValue === '<script>alert(1)</script>'));
    assert.ok((line.scores as { inbound: number }).inbound >= 5);
    assert.ok(!readFileSync(auditPath, 'utf8').includes('hush'));

    // SIGHUP: rules recompiled, audit log reopened at the same path (log rotation).
    renameSync(auditPath, `${auditPath}.1`);
    picket.child.kill('SIGHUP');
    await picket.waitFor(/ruleset reloaded/);
    await picket.waitFor(/audit log reopened/);
    let rotated = '';
    for (let i = 0; i < 50 && rotated === ''; i++) {
      const again = await fetch(`${base}/?x=%3Cscript%3E`, { headers: { 'X-CRS-Test': 'after-rotation' } });
      await again.arrayBuffer();
      await sleep(100);
      if (existsSync(auditPath)) rotated = readFileSync(auditPath, 'utf8');
    }
    assert.match(rotated, /"testMarker":"after-rotation"/);
    assert.equal(readFileSync(`${auditPath}.1`, 'utf8').trim().split('\n').length, 1);

    // SIGTERM while a request is in flight: it completes, then picket exits 0.
    const reached = new Promise<void>((resolve) => arrived.push(resolve));
    const slow = fetch(`${base}/slow`);
    await reached;
    const exit = picket.stop('SIGTERM');
    await picket.waitFor(/shutting down: draining in-flight requests/);
    release!();
    const response = await slow;
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'slow done');
    assert.equal(await exit, 0);
  } finally {
    await picket.stop('SIGKILL');
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
});

test('run: configuration errors exit 1 naming each source', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PICKET_')));
  const result = spawnSync(BIN, ['run', '--paranoia', '9', '--mod', 'inline'], { encoding: 'utf8', env: { ...env, PICKET_BODY_LIMIT: 'huge' } });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /picket run: WAF_ERR_CONFIG: invalid configuration \(4 problems\)/);
  assert.match(result.stderr, /^ {2}PICKET_BODY_LIMIT: must be a size/m);
  assert.match(result.stderr, /^ {2}--paranoia: must be an integer 1-4, got "9"$/m);
  assert.match(result.stderr, /^ {2}--mod: unknown option \(did you mean "--mode"\?\)$/m);
  assert.match(result.stderr, /^ {2}no upstream: inline mode forwards requests/m);
});
