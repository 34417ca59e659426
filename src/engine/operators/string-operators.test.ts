import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beginsWith } from './begins-with.ts';
import { contains } from './contains.ts';
import { containsWord } from './contains-word.ts';
import { endsWith } from './ends-with.ts';
import { streq } from './streq.ts';
import { strmatch } from './strmatch.ts';
import { within } from './within.ts';
import { RuleError } from '../errors.ts';
import type { MatchState, OperatorContext, OperatorFactory } from './types.ts';

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
const vars = (v: Record<string, string> = {}): MatchState => ({ capture: false, setCapture: () => {}, lookup: (n) => v[n] ?? '' });

const cases: Array<[string, OperatorFactory, string, string, boolean]> = [
  ['streq equal', streq, 'POST', 'POST', true],
  ['streq is case-sensitive', streq, 'POST', 'post', false],
  ['streq empty', streq, '', '', true],
  ['contains', contains, 'php', 'index.php?x', true],
  ['contains case-sensitive', contains, 'PHP', 'index.php', false],
  ['contains empty argument', contains, '', 'abc', true],
  ['beginsWith', beginsWith, 'GET /', 'GET /index', true],
  ['beginsWith longer than input', beginsWith, 'GET /index', 'GET', false],
  ['endsWith', endsWith, '.bak', 'db.bak', true],
  ['endsWith no', endsWith, '.bak', 'db.bak2', false],
  ['within', within, '|GET| |POST|', '|POST|', true],
  ['within reversed', within, 'GET', 'GET POST', false],
  ['within empty input', within, '|GET|', '', true],
  ['containsWord whole word', containsWord, 'select', 'a select b', true],
  ['containsWord at edges', containsWord, 'select', 'select', true],
  ['containsWord inside a word', containsWord, 'select', 'selected', false],
  ['containsWord underscore is a word byte', containsWord, 'select', '_select', false],
  ['containsWord later occurrence', containsWord, 'ab', 'abc ab', true],
  ['containsWord NUL is a boundary', containsWord, 'def', 'abc\0def ghi', true],
  ['strmatch', strmatch, 'WebZIP', 'Mozilla WebZIP/4', true],
];

for (const [name, factory, argument, input, expected] of cases) {
  test(name, () => {
    assert.equal(factory(argument, context).match(input, vars()), expected);
  });
}

test('string operators expand macros in their argument', () => {
  const s = vars({ 'TX.2': 'abc', 'tx.allowed_methods': 'GET HEAD POST' });
  assert.equal(streq('%{TX.2}', context).match('abc', s), true);
  assert.equal(within('%{tx.allowed_methods}', context).match('HEAD', s), true);
  assert.equal(within('%{tx.allowed_methods}', context).match('PUT', s), false);
});

test('strmatch needs an argument', () => {
  assert.throws(() => strmatch('', context), RuleError);
});
