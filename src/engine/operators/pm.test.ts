import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { RuleError } from '../errors.ts';
import { AhoCorasick } from './aho-corasick.ts';
import { parsePmContent } from './pm-content.ts';
import { pm } from './pm.ts';
import { phrasesFromText, pmFromFile } from './pm-from-file.ts';
import type { MatchState, OperatorContext } from './types.ts';

const context = (baseDir = '.'): OperatorContext => ({
  file: 'rules.conf',
  line: 3,
  baseDir,
  compileMacro: (text) => ({ text, isConstant: true, expand: () => text }),
});

function state(capture = false): MatchState & { tx: Map<number, string> } {
  const tx = new Map<number, string>();
  return { capture, tx, setCapture: (i, v) => void tx.set(i, v), lookup: () => '' };
}

test('@pm matches any phrase, ignoring ASCII case only', () => {
  const op = pm('nikto sqlmap  <script', context());
  assert.equal(op.match('User-Agent: SQLMap/1.0', state()), true);
  assert.equal(op.match('x<SCRIPT>', state()), true);
  assert.equal(op.match('curl/8', state()), false);
  assert.equal(op.match('', state()), false);
  assert.equal(pm('\xe9t\xe9', context()).match('\xc9T\xc9', state()), false);
});

test('@pm capture sets TX:0 to the phrase as written', () => {
  const s = state(true);
  assert.equal(pm('Document.Cookie window.location', context()).match('x=document.cookie', s), true);
  assert.deepEqual([...s.tx.entries()], [[0, 'Document.Cookie']]);
});

test('@pm reports what acmp reports: the first end position, as the trie node spells it', () => {
  // "b" ends first, found through the failure link of node "ab" (created by "abcd").
  assert.equal(new AhoCorasick(['bcd', 'abcd', 'cd', 'xyz', 'b']).firstMatch('zabcdxyz'), 'ab');
  assert.equal(new AhoCorasick(['bcd', 'abcd', 'cd']).firstMatch('zabcdxyz'), 'abcd');
  // "she" ends first; its node was created by "she" itself.
  assert.equal(new AhoCorasick(['he', 'she', 'his', 'hers']).firstMatch('ushers'), 'she');
  // "ab" found through a failure link inside "xab" (created by "xabc"): acmp reports the node text "xab".
  assert.equal(new AhoCorasick(['xabc', 'ab']).firstMatch('xabz'), 'xab');
  // A node created by an earlier phrase keeps that phrase's spelling.
  assert.equal(new AhoCorasick(['FOOBAR', 'foo']).firstMatch('xfoo'), 'FOO');
  assert.equal(new AhoCorasick(['aab']).firstMatch('aaab'), 'aab');
  assert.equal(new AhoCorasick(['abc']).firstMatch('ab'), undefined);
});

test('@pm phrase syntax: hex bytes between pipes and escapes', () => {
  assert.equal(parsePmContent('|41 42|c'), 'ABc');
  assert.equal(parsePmContent('a\\;b\\\\c'), 'a;b\\c');
  assert.equal(parsePmContent('"quoted phrase"'), 'quoted phrase');
  assert.equal(parsePmContent('  lead'), 'lead');
  // Nothing converted: v2 hands back its half-rewritten buffer.
  assert.equal(parsePmContent('a|x|b'), 'abx|b');
  assert.equal(parsePmContent('of type string|int|null'), 'of type stringnull|null');
  assert.equal(parsePmContent('plain text'), 'plain text');
  // Unsupported escape: v2 falls back to the raw text.
  assert.equal(parsePmContent('a\\nb'), 'a\\nb');
  assert.equal(pm('|3c|script', context()).match('<script', state()), true);
});

test('@pm without phrases is a RuleError', () => {
  assert.throws(() => pm('   ', context()), RuleError);
});

test('phrase files: trimming, comments, blank lines, CRLF, v2 single-byte skip', () => {
  assert.deepEqual(phrasesFromText('# comment\n\n  alpha  \r\nbeta\nx\n \t\ngam ma\nlast'), ['alpha', 'beta', 'gam ma', 'last']);
  assert.deepEqual(phrasesFromText('FFI\\\\CData\nseg\\nfault\n'), ['FFI\\CData', 'seg\\nfault']);
});

test('@pmFromFile reads files relative to the rule file, several per rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-pm-'));
  writeFileSync(join(dir, 'a.data'), '# list\n/etc/passwd\n.htaccess\n');
  writeFileSync(join(dir, 'b.data'), 'web.config\n');
  const op = pmFromFile('a.data b.data', context(dir));
  const s = state(true);
  assert.equal(op.match('GET /app/WEB.CONFIG', s), true);
  assert.equal(s.tx.get(0), 'web.config');
  assert.equal(op.match('/var/www/.HTACCESS', state()), true);
  assert.equal(op.match('/index.html', state()), false);
});

test('@pmFromFile reads an edited file again on the next load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-pm-'));
  const file = join(dir, 'list.data');
  writeFileSync(file, 'alpha\n');
  assert.equal(pmFromFile('list.data', context(dir)).match('xbetax', state()), false);
  writeFileSync(file, 'alpha\nbeta\n');
  assert.equal(pmFromFile('list.data', context(dir)).match('xbetax', state()), true);
});

test('@pmFromFile: a missing file is a RuleError naming the path', () => {
  assert.throws(() => pmFromFile('missing.data', context('/nonexistent-dir')), (e: unknown) => {
    assert.ok(e instanceof RuleError);
    assert.match(e.message, /\/nonexistent-dir\/missing\.data/);
    assert.equal(e.line, 3);
    return true;
  });
});

test('@pmFromFile loads every CRS v4.28 data file', () => {
  const dir = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.data'));
  assert.ok(files.length > 10, 'is ../shared/crs-4.28.0 present?');
  for (const file of files) pmFromFile(file, context(dir));
  const shells = pmFromFile('unix-shell.data', context(dir));
  assert.equal(shells.match('; cat /ETC/PASSWD', state()), true);
  assert.equal(pmFromFile('php-errors.data', context(dir)).match('Cannot add next element to object of type FFI\\CData', state()), true);
});

test('@pm finds phrases reached through several failure links (ModSecurity v2 acmp misses these)', () => {
  // acmp computes each failure link in one step, so in "bba" it never falls back to "a" and reports
  // no match. picket does find it (reported, acmp-style, as the node text "bba"). Deliberate deviation.
  assert.equal(new AhoCorasick(['bbax', 'a']).firstMatch('bba'), 'bba');
});

test('phrase matching agrees with ModSecurity v2 acmp on recorded cases', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('../../../test/fixtures/seclang-vectors/pm-acmp-v2.json', import.meta.url), 'utf8'),
  ) as { sets: Array<{ phrases: string[]; cases: Array<[string, string | null]> }> };
  let count = 0;
  for (const { phrases, cases } of fixture.sets) {
    // Both the DFA and the sparse automaton (used for very large phrase sets).
    for (const ac of [new AhoCorasick(phrases), new AhoCorasick(phrases, 0)]) {
      for (const [input, expected] of cases) {
        assert.equal(ac.firstMatch(input) ?? null, expected, `${JSON.stringify(phrases)} on ${JSON.stringify(input)}`);
        count++;
      }
    }
  }
  assert.ok(count >= 1000, `only ${count} cases`);
});

test('a match is found exactly when some phrase occurs (ASCII case folded), in both automata', () => {
  const fold = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const text = fc.array(fc.constantFrom('a', 'b', 'A', 'B', 'c', '\xc0', '\xe0'), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
  fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), text, (phrases, input) => {
    const expected = phrases.some((p) => fold(input).includes(fold(p)));
    assert.equal(new AhoCorasick(phrases).firstMatch(input) !== undefined, expected);
    assert.equal(new AhoCorasick(phrases, 0).firstMatch(input) !== undefined, expected);
  }), { numRuns: 3000 });
});

test('the lazily filled DFA agrees with the sparse automaton on every CRS data file', () => {
  // Inputs mix pieces of phrases (upper- and lower-case), whole phrases and random bytes, so that
  // matches, near misses and unresolved transitions from every depth all occur.
  const dir = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url).pathname;
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let matches = 0;
  let inputs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.data'))) {
    const phrases = phrasesFromText(readFileSync(join(dir, file), 'latin1'));
    const dfa = new AhoCorasick(phrases);
    const sparse = new AhoCorasick(phrases, 0);
    for (let t = 0; t < 1500; t++) {
      let input = '';
      for (let parts = 1 + rnd(4); parts > 0; parts--) {
        const phrase = phrases[rnd(phrases.length)] as string;
        const kind = rnd(4);
        if (kind === 0) input += phrase.slice(rnd(phrase.length + 1)).slice(0, rnd(phrase.length + 2));
        else if (kind === 1) input += rnd(2) === 0 ? phrase.toUpperCase() : phrase;
        else for (let i = rnd(8); i > 0; i--) input += String.fromCharCode(rnd(2) === 0 ? 32 + rnd(95) : rnd(256));
      }
      const expected = sparse.firstMatch(input);
      assert.equal(dfa.firstMatch(input), expected, `${file} on ${JSON.stringify(input)}`);
      if (expected !== undefined) matches++;
      inputs++;
    }
  }
  assert.ok(matches > 1000 && matches < inputs, `${matches} matches in ${inputs} inputs`);
});
