/**
 * The PCRE translation against results recorded from PCRE2 itself (compiled
 * with ModSecurity v2's @rx options): every CRS v4.28 pattern on subjects taken
 * from the CRS regression tests, and random patterns mixing the constructs the
 * translator handles. The vectors were generated with libpcre2-8 through a
 * small oracle script; see test/fixtures/seclang-vectors/rx-pcre2.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileRegex, execRegex } from './regex-cache.ts';
import { translatePcre } from './pcre.ts';

type Result = (string | null)[] | null;
interface Fixture {
  readonly engine: string;
  readonly crs: ReadonlyArray<{ file: string; index: number; cases: ReadonlyArray<[string, Result]> }>;
  readonly random: ReadonlyArray<{ pattern: string; cases: ReadonlyArray<[string, Result]> }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/seclang-vectors/rx-pcre2.json', import.meta.url), 'utf8'),
) as Fixture;
const CRS_RULES = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url);

/** What ModSecurity would put in TX:0..n: the whole match and groups up to the highest set one. */
function run(pattern: string, subject: string): Result {
  const c = compileRegex(pattern);
  const m = execRegex(c, subject);
  if (!m) return null;
  let highest = 0;
  for (let g = c.groupCount; g >= 1; g--) {
    if (m[c.groupMap[g] as number] !== undefined) {
      highest = g;
      break;
    }
  }
  const out: (string | null)[] = [m[0]];
  for (let g = 1; g <= highest; g++) out.push(m[c.groupMap[g] as number] ?? null);
  return out;
}

function crsPatterns(file: string): string[] {
  const text = readFileSync(new URL(file, CRS_RULES), 'latin1').replace(/\\\n/g, '');
  return [...text.matchAll(/"!?@rx ((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] as string).replace(/\\"/g, '"'));
}

test('CRS v4.28 patterns agree with PCRE2 on regression-test subjects', () => {
  let cases = 0;
  const byFile = new Map<string, string[]>();
  for (const entry of fixture.crs) {
    let patterns = byFile.get(entry.file);
    if (!patterns) {
      patterns = crsPatterns(entry.file);
      byFile.set(entry.file, patterns);
    }
    const pattern = patterns[entry.index];
    assert.ok(pattern !== undefined, `${entry.file} has no @rx #${entry.index}`);
    for (const [subject, expected] of entry.cases) {
      assert.deepEqual(run(pattern, subject), expected, `${entry.file} @rx #${entry.index} on ${JSON.stringify(subject)}`);
      cases++;
    }
  }
  assert.ok(cases > 1000, `only ${cases} cases`);
});

test('random patterns agree with PCRE2', () => {
  let cases = 0;
  for (const { pattern, cases: list } of fixture.random) {
    for (const [subject, expected] of list) {
      assert.deepEqual(run(pattern, subject), expected, `${JSON.stringify(pattern)} on ${JSON.stringify(subject)}`);
      cases++;
    }
  }
  assert.ok(cases > 2000, `only ${cases} cases`);
});

test('cached (?:...) groups translate as in place: flags, groups and back references', () => {
  assert.equal(translatePcre('(?:ab|c)x(?:ab|c)').source, '(?:ab|c)x(?:ab|c)');
  // The same text under other flags is another entry.
  assert.equal(translatePcre('(?i:(?:ab))(?:ab)').source, '(?:(?:[Aa][Bb]))(?:ab)');
  assert.equal(translatePcre('(?:.)(?-s)(?:.)').source, '(?:[\\s\\S])(?:[^\\n])');
  // Groups holding captures are numbered in context, never cached.
  const c = compileRegex('(?:(a))(?:(b))\\2');
  assert.deepEqual([...(execRegex(c, 'xabb') ?? [])].slice(0, 1), ['abb']);
  assert.equal(execRegex(c, 'xaba'), null);
  // Required bytes and literals of a cached group reach the enclosing pattern again.
  const cached = translatePcre('[0-9]+(?:<ab)x(?:<ab)');
  const fresh = translatePcre('[0-9]+(?:<ab)x(?:(?:<ab))');
  assert.deepEqual(cached.required, fresh.required);
  assert.deepEqual(cached.literals, ['<abx<ab']);
  assert.deepEqual(fresh.literals, ['<abx<ab']);
});
