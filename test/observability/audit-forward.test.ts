/** A cluster worker's audit log: lines go to the primary whole, the channel is bounded, flush waits for the primary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createForwardedAuditLog } from '../../src/observability/audit-forward.ts';
import type { TransactionReport } from '../../src/observability/types.ts';

function report(overrides: Partial<TransactionReport> = {}): TransactionReport {
  return {
    id: 'tx-1', time: '2026-01-01T00:00:00.000Z', mode: 'inline', verdict: 'blocked',
    client: { address: '192.0.2.7', port: 5000 },
    request: { method: 'GET', uri: '/?q=x', protocol: 'HTTP/1.1', headers: [['Host', 'a'], ['Authorization', 'secret']] },
    status: 403, matchedRules: [], scores: { inbound: 5, outbound: 0 }, engineMs: 0.1, auditRelevant: true,
    ...overrides,
  };
}

test('relevant reports become one serialised line each; flush asks the primary', async () => {
  const sent: string[] = [];
  let flushes = 0;
  const audit = createForwardedAuditLog({
    all: false,
    send: (line, done) => {
      sent.push(line);
      done();
    },
    requestFlush: async () => {
      flushes++;
    },
    connected: () => true,
  });
  assert.equal(audit.record(report()), true);
  assert.equal(audit.record(report({ id: 'tx-2', auditRelevant: false })), false);
  assert.equal(sent.length, 1);
  const line = JSON.parse(sent[0]!) as { id: string; request: { headers: [string, string][] } };
  assert.equal(line.id, 'tx-1');
  assert.deepEqual(line.request.headers[1], ['Authorization', '[redacted]']);
  await audit.flush();
  await audit.close();
  assert.equal(flushes, 2);
});

test('lines past the pending bound are refused and counted; a closed channel refuses', () => {
  const waiting: (() => void)[] = [];
  let connected = true;
  const audit = createForwardedAuditLog({
    all: true,
    send: (_line, done) => waiting.push(done),
    requestFlush: async () => undefined,
    connected: () => connected,
    maxPendingBytes: 1000,
  });
  let accepted = 0;
  for (let i = 0; i < 10; i++) {
    try {
      audit.record(report({ id: `tx-${i}` }));
      accepted++;
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'WAF_ERR_AUDIT');
    }
  }
  assert.ok(accepted >= 1 && accepted < 10, `accepted ${accepted}`);
  assert.equal(audit.dropped, 10 - accepted);
  for (const done of waiting.splice(0)) done();
  assert.equal(audit.record(report({ id: 'tx-after' })), true, 'room again once the channel took the lines');
  connected = false;
  assert.throws(() => audit.record(report({ id: 'tx-closed' })), { code: 'WAF_ERR_AUDIT' });
});
