import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MatchedRule } from '../../src/engine/api.ts';
import { errorLogLine, judgeStage } from './judge.ts';
import type { Exchange } from './send.ts';

const rule = (id: number): MatchedRule => ({
  id, phase: 2, file: 'x.conf', line: 1, msg: 'm "q"', logdata: 'Matched Data: a found within ARGS:t: a',
  tags: ['t'], matchedVar: 'ARGS:t', matchedValue: 'a',
});
const ok = (status: number): Exchange => ({ localPort: 1, response: { status, raw: `HTTP/1.1 ${status} OK\r\n\r\n` }, error: null, timedOut: false });
const record = (ids: number[]) => ({ ids: ['tx'], ruleIds: ids, matchedRules: ids.map(rule), refused: false });
const lines = (ids: number[]) => ids.map((id) => errorLogLine(rule(id), '/', 'tx'));

test('expect_ids and no_expect_ids are judged from the record', () => {
  assert.deepEqual(judgeStage({ expectIds: [1] }, ok(200), record([1, 2]), lines([1, 2])), []);
  assert.equal(judgeStage({ expectIds: [3] }, ok(200), record([1]), lines([1]))[0]?.kind, 'missing ids');
  assert.equal(judgeStage({ noExpectIds: [1] }, ok(200), record([1]), lines([1]))[0]?.kind, 'unexpected ids');
});

test('no transaction is reported as a parser refusal; an expected status still passes', () => {
  assert.equal(judgeStage({ expectIds: [1] }, ok(400), null, [])[0]?.kind, 'parser refusal');
  assert.deepEqual(judgeStage({ status: [400] }, ok(400), null, []), []);
  assert.equal(judgeStage({ expectIds: [1] }, ok(400), { ...record([]), refused: true }, [])[0]?.kind, 'parser refusal');
});

test('expect_error passes only on an HTTP-level error and skips the rest', () => {
  const failed: Exchange = { localPort: 1, response: null, error: 'reset', timedOut: false };
  assert.deepEqual(judgeStage({ expectError: true, expectIds: [9] }, failed, null, []), []);
  assert.equal(judgeStage({ expectError: true }, ok(200), record([]), [])[0]?.kind, 'expected error');
  assert.equal(judgeStage({}, failed, null, [])[0]?.kind, 'unexpected error');
});

test('log regexes run over ModSecurity-style lines', () => {
  assert.match(lines([942100])[0] ?? '', /\[id "942100"\]/);
  assert.match(lines([1])[0] ?? '', /\[msg "m \\"q\\""\]/);
  assert.deepEqual(judgeStage({ matchRegex: 'Matched Data: a found within ARGS:t' }, ok(200), record([1]), lines([1])), []);
  assert.equal(judgeStage({ noMatchRegex: '\\[id "\\d+"\\]' }, ok(200), record([1]), lines([1]))[0]?.kind, 'log regex');
});

test('status mismatch and isolated', () => {
  assert.equal(judgeStage({ status: [403] }, ok(200), record([]), [])[0]?.kind, 'wrong status');
  assert.equal(judgeStage({ expectIds: [1], isolated: true }, ok(200), record([1, 2]), lines([1, 2]))[0]?.kind, 'unexpected ids');
});

test('log lines escape control bytes so a match stays on one line, as ModSecurity logs it', () => {
  const line = errorLogLine({ ...rule(932300), logdata: 'Matched Data: \r\nMAIL found within ARGS:t: \r\nMAIL' }, '/', 'tx');
  assert.ok(!line.includes('\n'));
  assert.match(line, /\[data "Matched Data: \\x0d\\x0aMAIL found within ARGS:t: \\x0d\\x0aMAIL"\]/);
  assert.deepEqual(judgeStage({ matchRegex: 'Matched Data:.*MAIL found within ARGS:t:.*MAIL' }, ok(200), record([1]), [line]), []);
});
