import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTestFile } from './load.ts';
import { applyOverrides, loadOverrides } from './overrides.ts';

const dir = mkdtempSync(join(tmpdir(), 'crs-load-'));
const file = join(dir, 'REQUEST-920-X', '920999.yaml');
mkdirSync(join(dir, 'REQUEST-920-X'));
writeFileSync(
  file,
  `rule_id: 920999
tests:
  - test_id: 3
    stages:
      - input:
          headers:
            User-Agent: ftw
            Host: localhost
            Accept: 1.0
          data: a=b
          stop_magic: true
        output:
          status: [200, 403]
          log_contains: 'id "920999"'
  - stages:
      - input:
          version: ""
          raw_request: "GET / HTTP/1.1\\r\\n\\r\\n"
        output:
          log:
            expect_ids: [920999]
            no_expect_ids: [1]
`,
);

test('defaults, sorted headers, Go-like scalars and legacy fields', () => {
  const [first, second] = loadTestFile(file, dir);
  assert.equal(first?.id, '920999-3');
  assert.equal(first?.file, 'REQUEST-920-X/920999.yaml');
  const input = first!.stages[0]!.input;
  assert.deepEqual(input.headers, [['Accept', '1.0'], ['Host', 'localhost'], ['User-Agent', 'ftw']]);
  assert.equal(input.method, 'GET');
  assert.equal(input.uri, '/');
  assert.equal(input.version, 'HTTP/1.1');
  assert.equal(input.autocompleteHeaders, false);
  assert.deepEqual(first!.stages[0]!.output, { status: [200, 403], matchRegex: 'id "920999"' });
  assert.equal(second?.id, '920999-2');
  assert.equal(second!.stages[0]!.input.version, '');
  assert.equal(Buffer.from(second!.stages[0]!.input.encodedRequest ?? '', 'base64').toString(), 'GET / HTTP/1.1\r\n\r\n');
  assert.deepEqual(second!.stages[0]!.output, { expectIds: [920999], noExpectIds: [1] });
});

test('overrides replace the expected output of the listed tests and need a reason', () => {
  const overrides = join(dir, 'overrides.yaml');
  writeFileSync(overrides, 'test_overrides:\n  - rule_id: 920999\n    test_ids: [3]\n    reason: node answers first\n    output:\n      status: 400\n');
  const applied = applyOverrides(loadTestFile(file, dir), loadOverrides(overrides));
  assert.deepEqual(applied[0]?.test.stages[0]?.output, { status: [400] });
  assert.equal(applied[0]?.override?.reason, 'node answers first');
  assert.equal(applied[1]?.override, null);
  writeFileSync(overrides, 'test_overrides:\n  - rule_id: 920999\n    test_ids: [3]\n');
  assert.throws(() => loadOverrides(overrides), /needs a reason/);
});

test('the shipped overrides file loads', () => {
  assert.ok(Array.isArray(loadOverrides(join(import.meta.dirname, 'overrides.yaml'))));
});
