import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { RuleError } from '../errors.ts';
import { compileRegex } from './regex-cache.ts';
import { rx } from './rx.ts';
import type { MatchState, OperatorContext } from './types.ts';

const context: OperatorContext = {
  file: 'rules.conf',
  line: 7,
  baseDir: '.',
  compileMacro: (text) => ({
    text,
    isConstant: !text.includes('%{'),
    expand: (source) => text.replace(/%\{([^}]*)\}/g, (_, name: string) => source.lookup(name, undefined)),
  }),
};

function state(capture = false, vars: Record<string, string> = {}): MatchState & { tx: Map<number, string> } {
  const tx = new Map<number, string>();
  return { capture, tx, setCapture: (i, v) => void tx.set(i, v), lookup: (name) => vars[name] ?? '' };
}

const matches = (pattern: string, input: string): boolean => rx(pattern, context).match(input, state());

const cases: Array<[string, string, string, boolean]> = [
  ['dot matches newline (PCRE_DOTALL)', 'a.b', 'a\nb', true],
  ['(?-s) dot excludes only \\n', '(?-s)a.b', 'a\nb', false],
  ['(?-s) dot still matches \\r', '(?-s)a.b', 'a\rb', true],
  ['$ only at the very end (DOLLAR_ENDONLY)', 'abc$', 'abc\n', false],
  ['$ at end', 'abc$', 'xabc', true],
  ['(?m)$ before a newline', '(?m)abc$', 'abc\nx', true],
  ['(?m)^ after a newline', '(?m)^x', 'abc\nx', true],
  ['(?m)^ not after a final newline', '(?m)^$', 'abc\n', false],
  ['without (?m) ^ is only the start', '^x', 'abc\nx', false],
  ['\\Z before a final newline', 'abc\\Z', 'abc\n', true],
  ['\\z only at the end', 'abc\\z', 'abc\n', false],
  ['\\A only at the start', '\\Aab', 'xab', false],
  ['(?i) folds ASCII', '(?i)select', 'SeLeCt', true],
  ['(?i) does not fold Latin-1 letters (C tables)', '(?i)\xe9', '\xc9', false],
  ['(?i) class does not fold Latin-1 letters', '(?i)[\xe0-\xef]', '\xc9', false],
  ['(?i) class folds ASCII', '(?i)[a-c]x', 'BX', true],
  ['(?i) folds a negated class before negating it', '(?i)x[^a-z]', 'xV', false],
  ['(?i) negated class still matches non-letters', '(?i)x[^a-z]', 'x1', true],
  ['scoped (?i:...)', 'a(?i:b)c', 'aBc', true],
  ['scoped (?i:...) ends', 'a(?i:b)c', 'aBC', false],
  ['mid-group (?i) carries into later alternatives', '(a(?i)b|c)', 'C', true],
  ['mid-group (?i) does not reach back', '(a(?i)b|c)', 'AB', false],
  ['(?-i) inside (?i)', '(?i)a(?-i)b', 'Ab', true],
  ['(?-i) inside (?i) is case-sensitive', '(?i)a(?-i)b', 'AB', false],
  ['\\s excludes 0xA0 (JS would match it)', 'a\\sb', 'a\xa0b', false],
  ['\\s includes \\v', 'a\\sb', 'a\vb', true],
  ['\\h includes 0xA0', 'a\\hb', 'a\xa0b', true],
  ['\\v is vertical space, not VT only', 'a\\vb', 'a\nb', true],
  ['\\R matches CRLF', '^a\\Rb$', 'a\r\nb', true],
  ['\\N excludes newline', 'a\\Nb', 'a\nb', false],
  ['POSIX class', '^[[:alpha:][:digit:]]+$', 'abC123', true],
  ['negated POSIX class', '^[[:^digit:]]+$', 'ab1', false],
  ['\\Q..\\E quotes', '\\Qa.b*\\E', 'a.b*', true],
  ['\\Q..\\E is literal', '\\Qa.b\\E', 'axb', false],
  ['\\x{..} escape', '\\x{41}\\x42', 'AB', true],
  ['octal escape', '\\101\\0', 'A\0', true],
  ['\\e escape', '\\e', '\x1b', true],
  ['\\cA control', '\\cA', '\x01', true],
  ['back reference', '(a+)b\\1', 'aabaa', true],
  ['named group and \\k', '(?<q>[\'"]).*\\k<q>', '"x"', true],
  ['(?P<name>) and (?P=name)', '(?P<q>x)(?P=q)', 'xx', true],
  ['atomic group does not backtrack', '(?>a+)a', 'aaa', false],
  ['atomic group matches', '(?>a+)b', 'aab', true],
  ['possessive quantifier does not backtrack', 'a++a', 'aaa', false],
  ['possessive quantifier matches', '"[^"]*+"', '"abc"', true],
  ['lazy quantifier', '^a+?$', 'aaa', true],
  ['extended mode ignores whitespace and comments', '(?x) a b # comment\n c', 'abc', true],
  ['extended mode keeps escaped space', '(?x)a\\ b', 'a b', true],
  ['comment group', 'a(?#comment)b', 'ab', true],
  ['literal brace that is not a quantifier', 'a{x', 'a{x', true],
  ['bytes above 0x7F stay bytes', '\xc3\xa9', 'caf\xc3\xa9', true],
  ['text beyond Latin-1 in the pattern becomes its UTF-8 bytes', '中', '\xe4\xb8\xad', true],
  ['empty pattern matches', '', '', true],
  ['class with ] first', '[]a]', ']', true],
  ['class with range to escaped char', '[\\x00-\\x1f]', '\x10', true],
  ['dash at class end is literal', '[a-]', '-', true],
  ['\\b in a class is backspace', '[\\b]', '\b', true],
];

for (const [name, pattern, input, expected] of cases) {
  test(`@rx: ${name}`, () => {
    assert.equal(matches(pattern, input), expected);
  });
}

test('@rx capture: TX:0 whole match, TX:1.. groups up to the highest that took part', () => {
  const s = state(true);
  assert.equal(rx('(a)(x)?(b)(y)?', context).match('zab', s), true);
  assert.deepEqual([...s.tx.entries()], [[0, 'ab'], [1, 'a'], [2, ''], [3, 'b']]);
});

test('@rx capture: only the first match is used', () => {
  const s = state(true);
  rx('(\\d+)', context).match('a12b345', s);
  assert.equal(s.tx.get(1), '12');
});

test('@rx capture: atomic emulation groups are hidden from TX', () => {
  const s = state(true);
  rx('(?>(a+))(b)', context).match('aab', s);
  assert.deepEqual([...s.tx.entries()], [[0, 'aab'], [1, 'aa'], [2, 'b']]);
  const p = state(true);
  rx('(x)a++(b)', context).match('xaab', p);
  assert.deepEqual([...p.tx.entries()], [[0, 'xaab'], [1, 'x'], [2, 'b']]);
});

test('@rx capture: groups above 9 are not written; above 14 nothing is (v2 with PCRE2)', () => {
  const ten = state(true);
  assert.equal(rx('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', context).match('abcdefghij', ten), true);
  assert.deepEqual([...ten.tx.keys()], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const fifteen = state(true);
  assert.equal(rx('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)(n)(o)', context).match('abcdefghijklmno', fifteen), true);
  assert.equal(fifteen.tx.size, 0);
});

test('@rx capture is not written without the capture action', () => {
  const s = state(false);
  assert.equal(rx('(a)', context).match('a', s), true);
  assert.equal(s.tx.size, 0);
});

test('@rx: untranslatable constructs are RuleErrors naming the construct', () => {
  for (const [pattern, what] of [
    ['(?(1)a|b)', 'conditional'],
    ['(?|a|b)', 'branch reset'],
    ['(a)(?1)', 'recursion'],
    ['a\\Gb', '\\G'],
    ['\\p{L}', '\\p'],
    ['(*UTF)a', 'verb'],
    ['(?U)a+', 'flag "U"'],
    ['\\x{100}', 'too large'],
    ['a\\yb', 'unrecognized escape'],
  ] as const) {
    assert.throws(() => rx(pattern, context), (e: unknown) => {
      assert.ok(e instanceof RuleError);
      assert.equal(e.file, 'rules.conf');
      assert.equal(e.line, 7);
      assert.match(e.message, new RegExp(what.replace(/[\\{}]/g, '\\$&')));
      return true;
    }, pattern);
  }
});

test('@rx: invalid patterns are RuleErrors', () => {
  assert.throws(() => rx('a(b', context), RuleError);
  assert.throws(() => rx('a)b', context), RuleError);
  assert.throws(() => rx('*a', context), RuleError);
  assert.throws(() => rx('[a', context), RuleError);
  assert.throws(() => rx('[z-a]', context), RuleError);
});

test('@rx: a leading DOTALL .* is anchored like PCRE does (same results, no quadratic retries)', () => {
  assert.match(compileRegex('.*\\.ph(?:p|tml)$').source, /^\^\(\?:/);
  assert.match(compileRegex('(?i).*?a|.*b').source, /^\^\(\?:/);
  assert.doesNotMatch(compileRegex('.*a|b').source, /^\^/);
  assert.doesNotMatch(compileRegex('(.*)a').source, /^\^/);
  assert.doesNotMatch(compileRegex('(?-s).*a').source, /^\^/);
  const s = state(true);
  assert.equal(rx('.*\\.php$', context).match('/x/index.php', s), true);
  assert.equal(s.tx.get(0), '/x/index.php');
  assert.equal(matches('.*\\.php$', 'a\nb.php'), true);
});

test('@rx: compiled patterns are shared across rules', () => {
  assert.equal(compileRegex('(?i)shared-pattern').regex, compileRegex('(?i)shared-pattern').regex);
});

test('@rx: macro patterns are expanded and compiled at run time', () => {
  const op = rx('^%{tx.prefix}-', context);
  assert.equal(op.match('ab-x', state(false, { 'tx.prefix': 'a.' })), true);
  assert.equal(op.match('a.-x', state(false, { 'tx.prefix': 'a\\.' })), true);
  assert.equal(op.match('ab-x', state(false, { 'tx.prefix': 'a\\.' })), false);
  // A value that is not a valid pattern makes the rule not match, as v2 logs and moves on.
  assert.equal(op.match('x', state(false, { 'tx.prefix': '(' })), false);
});

test('@rx: every CRS v4.28 pattern translates and compiles', () => {
  const dir = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url);
  let count = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf'))) {
    const text = readFileSync(new URL(file, dir), 'latin1').replace(/\\\n/g, '');
    for (const m of text.matchAll(/"!?@rx ((?:[^"\\]|\\.)*)"/g)) {
      const pattern = (m[1] as string).replace(/\\"/g, '"');
      assert.doesNotThrow(() => rx(pattern, { ...context, file }), pattern.slice(0, 80));
      count++;
    }
  }
  assert.ok(count > 250, `only ${count} patterns found; is ../shared/crs-4.28.0 present?`);
});

test('@rx: case-insensitivity is written out, never a JS flag or modifier (the linear engine refuses both)', () => {
  const compiled = compileRegex('(?i)union(?-i)X[a-c]');
  assert.equal(compiled.regex.flags, '');
  assert.doesNotMatch(compiled.source, /\(\?-?i/);
  assert.equal(compiled.regex.test('UnIoNXb'), true);
  assert.equal(compiled.regex.test('UnIoNxb'), false);
});

test('@rx: catastrophic backtracking finishes under the flag picket runs node with', () => {
  const script = `
    import { rx } from ${JSON.stringify(new URL('./rx.ts', import.meta.url).href)};
    const context = { file: 'x', line: 1, baseDir: '.', compileMacro: (t) => ({ text: t, isConstant: true, expand: () => t }) };
    const state = { capture: false, setCapture() {}, lookup: () => '' };
    const out = [];
    for (const pattern of ['^(a+)+$', '(?i)^(a+)+$']) {
      const op = rx(pattern, context);
      out.push(op.match('a'.repeat(30) + '!', state), op.match('A'.repeat(30), state));
    }
    process.stdout.write(out.join(' '));
  `;
  const child = spawnSync(process.execPath, ['--enable-experimental-regexp-engine-on-excessive-backtracks', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(child.error, undefined, `child did not finish: ${String(child.error)}`);
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, 'false false false true');
});
