/**
 * Required literal factors (literal-factors.ts through pcre.ts): what they are
 * for typical patterns, and that they are exact: a subject without any of a
 * pattern's factors is never matched by it (random patterns and subjects, and
 * every CRS v4.28 pattern on the CRS regression-test payloads).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { factorOf } from './literal-factors.ts';
import { literalFactors } from './pcre.ts';
import { compileRegex } from './regex-cache.ts';

const factor = (p: string): string[] | null => {
  const f = factorOf(literalFactors(p));
  return f === null ? null : [...f].sort();
};
const prefilter = (p: string): readonly string[] | null => compileRegex(p).literals;

/** What the prefilter promises: the subject holds a factor, ignoring ASCII case. */
function holdsFactor(f: readonly string[], subject: string): boolean {
  const folded = subject.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return f.some((s) => folded.includes(s));
}

test('factors of literals, classes, sequences and alternations', () => {
  assert.deepEqual(factor('(?i)<script'), ['<script']);
  assert.deepEqual(factor('a[bB]c'), ['abc']);
  assert.deepEqual(factor('(?i)union.*?select'), ['select']);
  assert.deepEqual(factor('foo|bar\\d+'), ['bar', 'foo']);
  assert.deepEqual(factor('ab?c'), ['abc', 'ac']);
  assert.deepEqual(factor('(?:ab)+x'), ['ab']);
  assert.deepEqual(factor('x\\b(?=y)z'), ['xz']);
  assert.deepEqual(factor('(?i)[a-z]+=(?:[^:=]+:[^;]+;)*?[^:=]+:url\\(javascript'), [':url(javascript']);
});

test('no factor when some branch can match without a literal', () => {
  assert.equal(factor('foo|\\w+'), null);
  assert.equal(factor('a*'), null);
  assert.equal(factor('(?:abc)?'), null);
  assert.equal(factor('(a*)\\1'), null);
  assert.equal(factor('foo|'), null);
});

test('the prefilter skips leading literals (V8 scans for those itself) and weak sets', () => {
  assert.equal(prefilter('(?i)<script[^>]*>'), null);
  assert.deepEqual(prefilter('(?i)[a-z]+=(?:[^:=]+:[^;]+;)*?[^:=]+:url\\(javascript'), [':url(javascript']);
  assert.equal(prefilter('\\d+a'), null); // single bytes are the required-bytes pre-check's job
  const c = compileRegex('(?i)[a-z]+=(?:[^:=]+:[^;]+;)*?[^:=]+:url\\(javascript');
  assert.equal(c.mayMatch('a=b:c;'.repeat(200)), false);
  assert.equal(c.mayMatch('x=a:URL(JavaScript'), true);
  assert.equal(c.regex.test('x=a:URL(JavaScript'), true);
});

// Random patterns over a small alphabet so that literals meet subjects often.
const piece = fc.constantFrom('a', 'b', 'B', 'ab', 'ba', 'c', '-', '\\d', '[ab]', '[^a]', '[a-c]', '.', '\\w', '(?i)', '(?-i)', '\\b', '^', '$', '\\Qa-\\E');
const quantified = fc.tuple(piece, fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}', '*?', '++'))
  .map(([p, q]) => (/^\(\?-?i\)$|^[\\^$]b?$|^\\b$|^\\Q|^ab$|^ba$/.test(p) ? p : p + q));
const branch = fc.array(quantified, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
const group = fc.tuple(fc.constantFrom('(', '(?:', '(?=', '(?!', '(?<=', '(?>', '(?i:'), fc.array(branch, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '', '?', '+', '*', '{2}'))
  .map(([open, alts, q]) => `${open}${alts.join('|')})${q}`);
const pattern = fc.tuple(fc.array(fc.oneof(branch, group, branch), { minLength: 1, maxLength: 4 }), fc.constantFrom('', '', '|'))
  .map(([items, separator]) => items.join(separator));
const subject = fc.array(fc.constantFrom('a', 'A', 'b', 'B', 'c', 'C', '-', '1', ' ', 'ab', 'AB', 'ba'), { maxLength: 12 }).map((a) => a.join(''));

test('random patterns: a subject without a factor is never matched', () => {
  let checked = 0;
  fc.assert(fc.property(pattern, fc.array(subject, { minLength: 1, maxLength: 10 }), (p, subjects) => {
    let regex: RegExp;
    try {
      regex = compileRegex(p).regex;
    } catch {
      return; // not a valid pattern
    }
    const f = factorOf(literalFactors(p));
    if (f === null) return;
    for (const s of subjects) {
      if (!holdsFactor(f, s)) {
        checked++;
        assert.equal(regex.test(s), false, `${p} matched ${JSON.stringify(s)} without any of ${JSON.stringify(f)}`);
      }
    }
  }), { numRuns: 4000 });
  assert.ok(checked > 1000, `only ${checked} subjects without a factor`);
});

const CRS = fileURLToPath(new URL('../../../../shared/crs-4.28.0/', import.meta.url));

function crsPatterns(): string[] {
  const out: string[] = [];
  const rules = join(CRS, 'rules');
  for (const file of readdirSync(rules).filter((f) => f.endsWith('.conf'))) {
    const text = readFileSync(join(rules, file), 'latin1').replace(/\\\n/g, '');
    for (const m of text.matchAll(/"!?@rx ((?:[^"\\]|\\.)*)"/g)) out.push((m[1] as string).replace(/\\"/g, '"'));
  }
  return [...new Set(out)];
}

/** Payloads of the CRS regression tests, raw and URL-decoded (the form most rules see). */
function crsPayloads(): string[] {
  const found = new Set<string>();
  (function walk(dir: string): void {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.yaml')) {
        for (const m of readFileSync(path, 'latin1').matchAll(/^\s*(?:data|uri|User-Agent|Cookie|Referer|value):\s*"?(.*?)"?\s*$/gm)) found.add(m[1] as string);
      }
    }
  })(join(CRS, 'tests', 'regression-tests'));
  const decoded = [...found].map((s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return unescape(s.replace(/\+/g, ' '));
    }
  });
  // Long payloads (bodies of a few KB) add run time, not cases.
  return [...new Set([...found, ...decoded])].filter((s) => s.length <= 200);
}

test('CRS v4.28 patterns × regression-test payloads: no match without a factor', () => {
  const payloads = crsPayloads();
  assert.ok(payloads.length > 3000, `only ${payloads.length} payloads`);
  let withFactor = 0;
  let rejected = 0;
  let matched = 0;
  for (const p of crsPatterns()) {
    const f = factorOf(literalFactors(p));
    if (f === null) continue;
    withFactor++;
    const regex = compileRegex(p).regex;
    for (const s of payloads) {
      if (holdsFactor(f, s)) continue;
      rejected++;
      if (regex.test(s)) matched++;
      assert.equal(matched, 0, `${p.slice(0, 80)} matched ${JSON.stringify(s)} without any of ${f.length} factors`);
    }
  }
  assert.ok(withFactor > 150, `only ${withFactor} CRS patterns have factors`);
  assert.ok(rejected > 100_000, `only ${rejected} rejections checked`);
});
