import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRegex, execRegex, testRegex } from './regex-cache.ts';

const bytesOf = (set: Uint8Array): string => [...set].map((v, i) => (v ? String.fromCharCode(i) : '')).join('');

test('required bytes: the rare bytes every match needs', () => {
  const required = (p: string): string[] => compileRegex(p).required.map(bytesOf);
  assert.deepEqual(required('(\\d+)-(\\d+)'), ['-']);
  assert.deepEqual(required('a|b'), ['ab']);
  assert.deepEqual(required('(?i)<script'), ['<', 'Ss']);
  assert.deepEqual(required('x?y*'), []);
  assert.deepEqual(required('a|'), []);
  assert.deepEqual(required('(?!<)a'), ['a']);
  assert.ok(required('(?<=\\()x').includes('('));
  assert.deepEqual(required('\\1?(a)'), ['a']);
});

test('the pre-check rejects subjects without a required byte, and only those', () => {
  const c = compileRegex('(\\d+)-(\\d+)');
  assert.equal(c.mayMatch('1'.repeat(100_000)), false);
  assert.equal(testRegex(c, '1'.repeat(100_000)), false);
  assert.equal(testRegex(c, '12-34'), true);
  assert.equal(execRegex(c, 'x12-34')?.[0], '12-34');
  // A char beyond Latin-1 (not a byte string) never rules a match out.
  assert.equal(compileRegex('[^a]-').mayMatch('\u0100'), true);
});

// Patterns built from pieces that exercise every clause rule: literals, classes,
// case folding, quantifiers with min 0 and 1, alternation, groups and lookarounds.
const piece = fc.constantFrom('a', 'B', '-', '<', '\\d', '[x-z]', '[^a]', '.', '\\s', '(?i)', '(?-i)', '\\b', '^', '$');
const quantified = fc.tuple(piece, fc.constantFrom('', '', '?', '*', '+', '{2}', '{0,2}', '*?', '++'))
  .map(([p, q]) => (/^\(\?-?i\)$|^[\\^$]b?$|^\\b$/.test(p) ? p : p + q));
const branch = fc.array(quantified, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const group = fc.tuple(fc.constantFrom('(', '(?:', '(?=', '(?!', '(?<=', '(?>'), fc.array(branch, { minLength: 1, maxLength: 3 }))
  .map(([open, alts]) => `${open}${alts.join('|')})`);
const pattern = fc.tuple(fc.array(fc.oneof(branch, group), { minLength: 1, maxLength: 3 }), fc.constantFrom('', '|'))
  .map(([items, separator]) => items.join(separator));
const subject = fc.array(fc.constantFrom('a', 'A', 'b', 'B', '-', '<', '1', 'x', ' ', '\n', 'z'), { maxLength: 10 }).map((a) => a.join(''));

/** Property: for random patterns and subjects, the pre-checked regex answers exactly as the bare one. */
function preCheckNeverChanges(subjects: fc.Arbitrary<string[]>, numRuns: number): void {
  fc.assert(fc.property(pattern, subjects, (p, list) => {
    let compiled;
    try {
      compiled = compileRegex(p);
    } catch {
      return; // not a valid pattern
    }
    for (const s of list) {
      assert.deepEqual(execRegex(compiled, s)?.[0] ?? null, compiled.regex.exec(s)?.[0] ?? null, `${p} on ${JSON.stringify(s)}`);
    }
  }), { numRuns });
}

test('the pre-check never changes a result', () => {
  preCheckNeverChanges(fc.array(subject, { minLength: 1, maxLength: 8 }), 3000);
});

test('literal pre-check: one literal always, a set of literals only on long subjects', () => {
  const one = compileRegex('(?i)[a-z]+=(?:[^:=]+:[^;]+;)*?[^:=]+:url\\(javascript');
  assert.deepEqual(one.literals, [':url(javascript']);
  assert.equal(one.mayMatch('a=b:c;'), false);
  assert.equal(one.mayMatch('a=b:c;'.repeat(100)), false);
  assert.equal(one.mayMatch('x=y:URL(JavaScript'), true);
  assert.equal(testRegex(one, 'x=y:URL(JavaScript'), true);
  const set = compileRegex('(?i)[;|][\\s\\x0b]*(?:goto|alter|waitfor)\\b');
  assert.deepEqual([...(set.literals ?? [])].sort(), ['alter', 'goto', 'waitfor']);
  const bytesOnly = '; nothing to see here';
  assert.equal(set.mayMatch(bytesOnly), true); // short: the byte scans alone decide
  assert.equal(set.mayMatch(bytesOnly.repeat(20)), false); // long: the literals too
  assert.equal(testRegex(set, `${'x'.repeat(300)}; WAITFOR delay`), true);
});

const longSubject = fc.array(fc.constantFrom('a', 'A', 'b', 'B', '-', '<', '1', 'x', ' ', '\n', 'z', 'ab', 'AB', 'ba'), { minLength: 100, maxLength: 200 }).map((a) => a.join(''));

test('the pre-check never changes a result on long subjects either', () => {
  preCheckNeverChanges(fc.array(longSubject, { minLength: 1, maxLength: 4 }), 1500);
});

test('screen sets: the required bytes, or else the lightest necessary sets however common', () => {
  const screen = (p: string): string[] => compileRegex(p).screenSets.map(bytesOf);
  assert.deepEqual(screen('(\\d+)-(\\d+)'), ['-'], 'rare required bytes serve both');
  // Every SQL keyword needs a letter: too common for the pre-check, enough to rule out a number.
  const keywords = compileRegex('(?i)\\b(?:select|union|insert)\\b');
  assert.deepEqual(keywords.required, []);
  assert.equal(keywords.screenSets.length > 0, true);
  assert.equal(screen('(?i)\\b(?:select|union|insert)\\b').some((set) => /\d/.test(set)), false);
  assert.deepEqual(screen('x?y*'), []);
  assert.deepEqual(screen('[\\s\\S]'), [], 'a set of all 256 bytes rules nothing out');
});

test('screen sets are necessary: every subject a pattern matches holds a byte of each', () => {
  fc.assert(fc.property(pattern, fc.array(subject, { minLength: 1, maxLength: 8 }), (p, list) => {
    let compiled;
    try {
      compiled = compileRegex(p);
    } catch {
      return;
    }
    for (const s of list) {
      if (!compiled.regex.test(s)) continue;
      for (const set of compiled.screenSets) {
        assert.ok([...s].some((ch) => set[ch.charCodeAt(0)] === 1), `${p} matches ${JSON.stringify(s)} without a byte of ${JSON.stringify(bytesOf(set))}`);
      }
    }
  }), { numRuns: 3000 });
});
