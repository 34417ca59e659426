/**
 * The bench traffic is distinct, repeatable and benign: streams never repeat
 * a request, the same seed gives the same stream, bodies are well-formed with
 * a matching content-length, and CRS PL1 matches no rule on any of them
 * (a false positive would turn the comparison into a 403 benchmark).
 * Run: node --test bench/requests.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleRuleset } from '../src/config/ruleset.ts';
import { createWaf } from '../src/engine/index.ts';
import { CRS_DIR } from './procs.ts';
import { FORM_POST, GET_QUERY, JSON_POST, MULTIPART_50K, Random, requestStream, type BenchRequest, type Workload } from './requests.ts';

const BENIGN: readonly Workload[] = [GET_QUERY, JSON_POST, FORM_POST, MULTIPART_50K];

function fingerprint(r: BenchRequest): string {
  return `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body?.toString('latin1') ?? ''}`;
}

function take(workload: Workload, count: number, seed = 1): BenchRequest[] {
  const next = requestStream(workload, seed);
  return Array.from({ length: count }, next);
}

test('Random is deterministic per seed and stays in range', () => {
  const a = new Random(7);
  const b = new Random(7);
  const c = new Random(8);
  const xs = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, () => c.next()));
  for (const x of xs) assert.ok(x >= 0 && x < 1);
  const r = new Random(1);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
  }
});

for (const workload of BENIGN) {
  test(`${workload.name}: distinct requests, repeatable per seed`, () => {
    const count = workload === MULTIPART_50K ? 300 : 5000;
    const stream = take(workload, count);
    assert.equal(new Set(stream.map(fingerprint)).size, count, 'a request repeated within the stream');
    assert.deepEqual(take(workload, 20).map(fingerprint), stream.slice(0, 20).map(fingerprint));
    assert.notDeepEqual(take(workload, 20, 2).map(fingerprint), stream.slice(0, 20).map(fingerprint));
  });
}

test('browser headers stay the same across requests, the cookie comes from ~50 sessions', () => {
  const stream = take(GET_QUERY, 2000);
  assert.equal(new Set(stream.map((r) => r.headers['user-agent'])).size, 1);
  assert.equal(new Set(stream.map((r) => r.headers['accept-language'])).size, 1);
  const cookies = new Set(stream.map((r) => r.headers.cookie));
  assert.ok(cookies.size > 40 && cookies.size <= 50, `${cookies.size} sessions`);
});

test('bodies are well-formed, ~2 KB JSON, content-length matches', () => {
  for (const r of take(JSON_POST, 200)) {
    assert.ok(r.body);
    assert.equal(r.headers['content-length'], String(r.body.length));
    assert.ok(r.body.length > 1700 && r.body.length <= 2048, `JSON body of ${r.body.length} bytes`);
    const parsed = JSON.parse(r.body.toString()) as { items: unknown[] };
    assert.ok(parsed.items.length > 5);
  }
  for (const r of take(FORM_POST, 100)) {
    assert.equal(r.headers['content-length'], String(r.body?.length));
    assert.equal(new URLSearchParams(r.body?.toString()).get('remember'), 'on');
  }
  for (const r of take(MULTIPART_50K, 20)) {
    const boundary = /boundary=(.+)$/.exec(r.headers['content-type'] ?? '')?.[1];
    assert.ok(boundary && r.body);
    assert.equal(r.headers['content-length'], String(r.body.length));
    const text = r.body.toString('latin1');
    assert.ok(text.startsWith(`--${boundary}\r\n`) && text.endsWith(`\r\n--${boundary}--\r\n`));
    assert.equal(text.split(`--${boundary}`).length, 4, 'two parts and the closing delimiter');
    assert.ok(r.body.length > 50 * 1024);
  }
});

test('CRS PL1 matches no rule on the bench traffic (both seeds the benches use)', () => {
  const waf = createWaf(assembleRuleset({
    mode: 'inline',
    rules: { files: [], crsDir: CRS_DIR, paranoiaLevel: 1, inboundAnomalyThreshold: 5, outboundAnomalyThreshold: 4 },
    limits: { requestBody: 13_107_200, requestBodyNoFiles: 131_072, requestBodyAction: 'Reject', responseBody: 524_288 },
  }));
  const matched: string[] = [];
  let n = 0;
  for (const seed of [1, 2]) {
    for (const workload of BENIGN) {
      for (const r of take(workload, workload === MULTIPART_50K ? 30 : 300, seed)) {
        const tx = waf.newTransaction(`bench-traffic-${n++}`);
        tx.processConnection('192.0.2.10', 40000, '127.0.0.1', 8080);
        tx.processUri(r.path, r.method, 'HTTP/1.1');
        for (const [name, value] of Object.entries(r.headers)) tx.addRequestHeader(name, value);
        let stop = tx.processRequestHeaders();
        if (!stop && r.body && tx.requestBodyAccess) stop = tx.appendRequestBody(r.body);
        stop ??= tx.processRequestBody();
        for (const m of tx.matchedRules) matched.push(`${workload.name}: ${m.id} ${m.msg} ${m.matchedVar}=${m.matchedValue}`);
        tx.processLogging();
      }
    }
  }
  assert.deepEqual(matched, []);
});
