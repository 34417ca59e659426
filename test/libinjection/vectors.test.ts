/**
 * libinjection's own test vectors (../shared/libinjection/tests): tokens,
 * folding, SQLi fingerprints and HTML5 tokens must print exactly as expected.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectSqli } from '../../src/engine/libinjection/index.ts';
import { DATA_DIR, printFolded, printHtml5, printTokens, readVector } from './vectors.ts';

const files = readdirSync(join(DATA_DIR, 'tests'))
  .filter((f) => f.endsWith('.txt'))
  .sort();

function actual(file: string, input: string): string {
  if (file.startsWith('test-tokens-')) return printTokens(input);
  if (file.startsWith('test-folding-')) return printFolded(input);
  if (file.startsWith('test-sqli-')) return detectSqli(input).fingerprint;
  if (file.startsWith('test-html5-')) return printHtml5(input);
  throw new Error(`${file}: unknown vector kind`);
}

test('libinjection test vectors', () => {
  assert.ok(files.length >= 480, `expected the 480 vector files in ${DATA_DIR}/tests, found ${files.length}`);
  const counts = new Map<string, { pass: number; total: number }>();
  const failures: string[] = [];
  for (const file of files) {
    const kind = /^test-([a-z0-9]+)-/.exec(file)?.[1] ?? 'other';
    const c = counts.get(kind) ?? { pass: 0, total: 0 };
    counts.set(kind, c);
    c.total += 1;
    const v = readVector(file);
    if (v === null) {
      failures.push(`${file}: malformed vector`);
      continue;
    }
    const got = actual(file, v.input);
    if (got === v.expected) c.pass += 1;
    else failures.push(`${file}\n  input:    ${JSON.stringify(v.input)}\n  expected: ${JSON.stringify(v.expected)}\n  got:      ${JSON.stringify(got)}`);
  }
  let pass = 0;
  for (const [kind, c] of counts) {
    pass += c.pass;
    console.log(`vectors ${kind}: ${c.pass}/${c.total}`);
  }
  console.log(`vectors total: ${pass}/${files.length}`);
  assert.equal(failures.length, 0, `${failures.length} vectors failed:\n${failures.slice(0, 10).join('\n')}`);
});
