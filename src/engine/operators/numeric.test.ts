import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from './eq.ts';
import { ge } from './ge.ts';
import { gt } from './gt.ts';
import { le } from './le.ts';
import { lt } from './lt.ts';
import { atoi } from './numeric.ts';
import type { MatchState, OperatorContext } from './types.ts';

const context: OperatorContext = {
  file: 'rules.conf',
  line: 1,
  baseDir: '.',
  compileMacro: (text) => ({
    text,
    isConstant: !text.includes('%{'),
    expand: (source) => text.replace(/%\{([^}]*)\}/g, (_, name: string) => source.lookup(name, undefined)),
  }),
};
const vars = (v: Record<string, string>): MatchState => ({ capture: false, setCapture: () => {}, lookup: (n) => v[n] ?? '' });

test('atoi follows C: whitespace, sign, digits, garbage', () => {
  const cases: Array<[string, number]> = [
    ['42', 42], ['  -7x', -7], ['+3', 3], ['\t\n12', 12], ['abc', 0], ['', 0], ['-', 0], ['1e3', 1], ['0x10', 0],
    ['00012', 12], ['3.9', 3], ['\xa05', 0], ['2147483648', -2147483648], ['4294967297', 1],
    ['99999999999999999999', -1], ['-99999999999999999999', 0],
  ];
  for (const [text, value] of cases) assert.equal(atoi(text), value, JSON.stringify(text));
});

test('comparisons read both sides with atoi', () => {
  const s = vars({});
  assert.equal(eq('5', context).match('5abc', s), true);
  assert.equal(eq('0', context).match('', s), true);
  assert.equal(eq('0', context).match('x', s), true);
  assert.equal(gt('10', context).match('11', s), true);
  assert.equal(gt('10', context).match('10', s), false);
  assert.equal(ge('10', context).match('10', s), true);
  assert.equal(lt('2', context).match('1', s), true);
  assert.equal(lt('2', context).match('-3', s), true);
  assert.equal(le('2', context).match('3', s), false);
});

test('macro arguments are expanded per call', () => {
  const op = ge('%{tx.inbound_anomaly_score_threshold}', context);
  assert.equal(op.match('5', vars({ 'tx.inbound_anomaly_score_threshold': '5' })), true);
  assert.equal(op.match('4', vars({ 'tx.inbound_anomaly_score_threshold': '5' })), false);
  // An unset variable expands to '' which reads as 0.
  assert.equal(op.match('0', vars({})), true);
});
