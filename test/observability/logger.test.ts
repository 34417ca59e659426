import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, requestFields } from '../../src/observability/logger.ts';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('credential headers are redacted at any usual depth', () => {
  const out = capture();
  const logger = createLogger({ level: 'info', destination: out.stream });
  logger.info({ headers: { authorization: 'Basic Zm9vOmJhcg==', accept: '*/*' } }, 'top');
  logger.info({ req: { headers: { cookie: 'sid=1', 'proxy-authorization': 'x', host: 'h' } } }, 'one level');
  logger.info({ request: { upstream: { headers: { 'set-cookie': 'a=b' } } } }, 'two levels');
  const [top, one, two] = out.lines();
  assert.deepEqual(top!.headers, { authorization: '[redacted]', accept: '*/*' });
  assert.deepEqual((one!.req as { headers: unknown }).headers, { cookie: '[redacted]', 'proxy-authorization': '[redacted]', host: 'h' });
  assert.deepEqual(((two!.request as { upstream: { headers: unknown } }).upstream).headers, { 'set-cookie': '[redacted]' });
  assert.ok(!out.lines().some((l) => JSON.stringify(l).includes('Zm9v')));
});

test('child loggers carry txId; levels and ISO time', () => {
  const out = capture();
  const logger = createLogger({ level: 'warn', destination: out.stream });
  logger.info('hidden');
  logger.child({ txId: 'abc' }).warn('shown');
  const lines = out.lines();
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.txId, 'abc');
  assert.equal(lines[0]!.level, 'warn');
  assert.match(String(lines[0]!.time), /^\d{4}-\d\d-\d\dT/);
});

test('requestFields caps attacker data', () => {
  const fields = requestFields({ method: 'GET', uri: `/${'a'.repeat(5000)}`, headers: [['User-Agent', 'b'.repeat(1000)]] });
  assert.ok(fields.uri!.length < 1100 && fields.uri!.endsWith('…[truncated]'));
  assert.ok(fields.userAgent!.length < 300);
  assert.equal(fields.method, 'GET');
});
