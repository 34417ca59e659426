import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLine, openAuditLog } from '../../src/observability/audit.ts';
import { report } from './fixtures.ts';

test('audit line shape: request, marker, rules, scores, verdict, credentials redacted', () => {
  const line = auditLine(report());
  assert.equal(line.id, 'tx-1');
  assert.equal(line.verdict, 'blocked');
  assert.equal(line.mode, 'inline');
  assert.equal(line.status, 403);
  assert.deepEqual(line.client, { address: '192.0.2.7', port: 51000 });
  assert.equal(line.request.method, 'GET');
  assert.equal(line.request.uri, "/?id=1'%20OR%20'1'='1");
  assert.equal(line.testMarker, '942100-1 marker');
  assert.deepEqual(line.request.headers, [
    ['Host', 'shop.example'],
    ['Authorization', '[redacted]'],
    ['Cookie', '[redacted]'],
    ['X-CRS-Test', '942100-1 marker'],
    ['User-Agent', 'curl/8.0'],
  ]);
  assert.equal(line.rules.length, 1);
  const rule = line.rules[0]!;
  assert.equal(rule.id, 1515000);
  assert.equal(rule.matchedVar, 'ARGS:id');
  assert.equal(rule.matchedValue, "1' OR '1'='1");
  assert.equal(rule.logdata, "Matched Data: 1' OR '1'='1 found within ARGS:id");
  assert.deepEqual(rule.tags, ['picket-core', 'attack-sqli']);
  assert.equal(rule.severity, 2);
  assert.deepEqual(line.scores, { inbound: 10, outbound: 0 });
  assert.deepEqual(line.interruption, { status: 403, ruleId: 1519000 });
  assert.equal(line.truncated, undefined);
  assert.ok(!JSON.stringify(line).includes('secret'), 'no credential in the line');
});

test('long attacker values are capped and listed as truncated', () => {
  const long = 'a'.repeat(5000);
  const base = report();
  const line = auditLine(report({
    request: { ...base.request, uri: `/${'x'.repeat(10_000)}` },
    matchedRules: [{ ...base.matchedRules[0]!, matchedValue: long }],
  }));
  assert.ok(line.rules[0]!.matchedValue.endsWith('…[truncated]'));
  assert.ok(line.rules[0]!.matchedValue.length < 1100);
  assert.equal(line.truncated!.length, 2);
  assert.ok(line.truncated!.some((t) => t.field === 'request.uri' && t.length === 10_001));
  assert.ok(line.truncated!.some((t) => t.field === 'rules[0].matchedValue' && t.length === 5000));
});

test('audit log writes relevant transactions (all with audit.all) and flush makes them readable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-audit-'));
  const path = join(dir, 'sub', 'audit.jsonl');
  const audit = await openAuditLog({ path, all: false });
  assert.equal(audit.record(report()), true);
  assert.equal(audit.record(report({ id: 'tx-2', auditRelevant: false, verdict: 'allowed', matchedRules: [] })), false);
  await audit.flush();
  const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; testMarker?: string });
  assert.deepEqual(lines.map((l) => l.id), ['tx-1']);
  assert.equal(lines[0]!.testMarker, '942100-1 marker');
  await audit.close();

  const allPath = join(dir, 'all.jsonl');
  const all = await openAuditLog({ path: allPath, all: true });
  for (let i = 0; i < 50; i++) all.record(report({ id: `tx-${i}`, auditRelevant: false }));
  await all.flush();
  assert.equal(readFileSync(allPath, 'utf8').trim().split('\n').length, 50);
  assert.equal(all.dropped, 0);
  await all.close();
});

test('an unwritable audit path fails with WAF_ERR_AUDIT', async () => {
  await assert.rejects(openAuditLog({ path: '/dev/null/picket/audit.jsonl', all: false }), { code: 'WAF_ERR_AUDIT' });
});

test('reopen after rotation: new lines go to a fresh file at the same path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-rotate-'));
  const path = join(dir, 'audit.jsonl');
  const audit = await openAuditLog({ path, all: true });
  audit.record(report({ id: 'before' }));
  await audit.flush();
  renameSync(path, `${path}.1`);
  await audit.reopen();
  audit.record(report({ id: 'after' }));
  await audit.flush();
  await audit.close();
  const ids = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  assert.deepEqual(ids(`${path}.1`), ['before']);
  assert.deepEqual(ids(path), ['after']);
});
