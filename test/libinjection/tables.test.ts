/** The committed sqli-data.ts is what gen-tables.ts makes from ../shared/libinjection. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DATA_DIR } from './vectors.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/engine/libinjection');

test('sqli-data.ts is up to date with sqlparse_data.json and fingerprints.txt', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'picket-gen-tables-'));
  try {
    const out = join(tmp, 'sqli-data.ts');
    execFileSync(process.execPath, [join(dir, 'gen-tables.ts'), DATA_DIR, out], { stdio: 'pipe' });
    const fresh = readFileSync(out, 'utf8');
    const committed = readFileSync(join(dir, 'sqli-data.ts'), 'utf8');
    assert.ok(fresh.includes('export const FINGERPRINTS'), 'generator output has the fingerprint table');
    assert.equal(committed, fresh, 'sqli-data.ts is stale: run node src/engine/libinjection/gen-tables.ts');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** Checks every `const NAME = number;` of `files` that `origin` also exports has the exported value. */
function checkLocalCopies(origin: Record<string, unknown>, files: readonly string[]): number {
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^const ([A-Z][A-Z0-9_]*) = (0x[0-9a-f]+|\d+);/gm)) {
      const [, name, value] = m as unknown as [string, string, string];
      if (!(name in origin)) continue;
      assert.equal(Number(value), origin[name], `${file}: ${name}`);
      checked++;
    }
  }
  return checked;
}

test('hot files keep their local copies of constants equal to the originals', async () => {
  const types: Record<string, unknown> = await import('../../src/engine/libinjection/sqli-types.ts');
  const sqli = checkLocalCopies(types, ['sqli-fold.ts', 'sqli-tokenizer.ts', 'sqli-token.ts', 'sqli.ts']);
  assert.ok(sqli > 50, `only ${sqli} local sqli constants found`);
  const html5: Record<string, unknown> = await import('../../src/engine/libinjection/html5.ts');
  const names: Record<string, unknown> = await import('../../src/engine/libinjection/xss-names.ts');
  const xss = checkLocalCopies(html5, ['xss.ts']) + checkLocalCopies(names, ['xss.ts']);
  assert.equal(xss, 15, 'xss.ts local constants checked');
});
