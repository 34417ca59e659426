/**
 * Agreement with the C libinjection on every corpus input of
 * ../shared/libinjection/expected.tsv: is_sqli, fingerprint and is_xss.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSqli, detectXss } from '../../src/engine/libinjection/index.ts';
import { readExpected } from './corpus.ts';

const rows = readExpected();

function show(input: string): string {
  return JSON.stringify(input.length > 120 ? `${input.slice(0, 120)}…` : input);
}

test('expected.tsv has the corpus', () => {
  assert.ok(rows.length >= 19_000, `expected ~19,216 rows, read ${rows.length}`);
});

test('SQLi verdict and fingerprint agree with C libinjection', () => {
  const bad: string[] = [];
  let agreeSqli = 0;
  let agreeFp = 0;
  for (const r of rows) {
    const got = detectSqli(r.input);
    if (got.isSqli === r.isSqli) agreeSqli += 1;
    if (got.fingerprint === r.fingerprint) agreeFp += 1;
    if (got.isSqli !== r.isSqli || got.fingerprint !== r.fingerprint) {
      bad.push(`${r.file}:${r.line} ${show(r.input)} want ${r.isSqli ? 1 : 0} "${r.fingerprint}", got ${got.isSqli ? 1 : 0} "${got.fingerprint}"`);
    }
  }
  console.log(`expected.tsv is_sqli: ${agreeSqli}/${rows.length}, fingerprint: ${agreeFp}/${rows.length}`);
  assert.equal(bad.length, 0, `${bad.length} disagreements, first:\n${bad.slice(0, 10).join('\n')}`);
});

test('XSS verdict agrees with C libinjection', () => {
  const bad: string[] = [];
  for (const r of rows) {
    const got = detectXss(r.input);
    if (got !== r.isXss) bad.push(`${r.file}:${r.line} ${show(r.input)} want ${r.isXss ? 1 : 0}, got ${got ? 1 : 0}`);
  }
  console.log(`expected.tsv is_xss: ${rows.length - bad.length}/${rows.length}`);
  assert.equal(bad.length, 0, `${bad.length} disagreements, first:\n${bad.slice(0, 10).join('\n')}`);
});
