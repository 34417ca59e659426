import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleError } from '../errors.ts';
import { ipMatch } from './ip-match.ts';
import { ipMatchFromFile } from './ip-match-from-file.ts';
import { parseIPv6 } from './ip-set.ts';
import type { MatchState, OperatorContext } from './types.ts';

const context = (baseDir = '.'): OperatorContext => ({
  file: 'rules.conf',
  line: 9,
  baseDir,
  compileMacro: (text) => ({ text, isConstant: true, expand: () => text }),
});
const state: MatchState = { capture: false, setCapture: () => {}, lookup: () => '' };

const cases: Array<[string, string, boolean]> = [
  ['127.0.0.1', '127.0.0.1', true],
  ['127.0.0.1', '127.0.0.2', false],
  ['10.0.0.0/8', '10.200.3.4', true],
  ['10.0.0.0/8', '11.0.0.1', false],
  ['192.168.1.0/255.255.255.0', '192.168.1.77', true],
  ['192.168', '192.168.9.9', true],
  ['0.0.0.0/0', '8.8.8.8', true],
  ['172.16.0.0/12', '172.31.255.255', true],
  ['172.16.0.0/12', '172.32.0.0', false],
  ['::1', '::1', true],
  ['2001:db8::/32', '2001:0db8:ffff::1', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['10.0.0.0/8', '::ffff:10.1.2.3', true],
  ['::ffff:10.1.2.3', '10.1.2.3', true],
  ['0:0::/80', '::ffff:255.255.255.255', false],
  ['10.0.0.0/8', 'not-an-ip', false],
  ['10.0.0.0/8', '010.0.0.1', false],
  ['1.2.3.4, 5.6.7.8', '5.6.7.8', true],
];

for (const [networks, address, expected] of cases) {
  test(`@ipMatch ${networks} ∋ ${address}: ${expected}`, () => {
    assert.equal(ipMatch(networks, context()).match(address, state), expected);
  });
}

test('@ipMatch: invalid networks are RuleErrors', () => {
  for (const bad of ['10.0.0.0/33', '300.1.1.1', '2001:db8::/129', '1.2.3.4/255.0.255.0', 'host.example', '']) {
    assert.throws(() => ipMatch(bad, context()), RuleError, bad);
  }
});

test('IPv6 parsing handles ::, full forms and IPv4 tails', () => {
  assert.deepEqual(parseIPv6('::'), new Uint8Array(16));
  assert.equal(parseIPv6('1:2:3:4:5:6:7:8')?.[15], 8);
  assert.equal(parseIPv6('::ffff:1.2.3.4')?.[15], 4);
  assert.equal(parseIPv6('1::2::3'), undefined);
  assert.equal(parseIPv6('1:2:3:4:5:6:7'), undefined);
  assert.equal(parseIPv6('12345::'), undefined);
});

test('@ipMatchFromFile reads networks, skipping comments and trailing text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-ip-'));
  writeFileSync(join(dir, 'nets.txt'), '# trusted\n  10.0.0.0/8  office\n\n2001:db8::/32\n192.168.1.1 # gateway\n');
  const op = ipMatchFromFile('nets.txt', context(dir));
  assert.equal(op.match('10.9.8.7', state), true);
  assert.equal(op.match('2001:db8::5', state), true);
  assert.equal(op.match('192.168.1.1', state), true);
  assert.equal(op.match('192.168.1.2', state), false);
});

test('@ipMatchFromFile: bad entries and missing files are RuleErrors with the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-ip-'));
  writeFileSync(join(dir, 'bad.txt'), '10.0.0.0/8\n999.1.1.1\n');
  assert.throws(() => ipMatchFromFile('bad.txt', context(dir)), /bad\.txt:2/);
  assert.throws(() => ipMatchFromFile('nope.txt', context(dir)), /nope\.txt/);
});
