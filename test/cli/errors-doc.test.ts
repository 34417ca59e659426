/** docs/errors.md and src/errors.ts list the same codes, both ways (fastify's errors-doc test). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, WafError } from '../../src/errors.ts';
import { ROOT } from './helpers.ts';

const doc = readFileSync(`${ROOT}docs/errors.md`, 'utf8');
const documented = [...doc.matchAll(/^## (WAF_ERR_[A-Z_]+)$/gm)].map((m) => m[1]!);

test('every code is documented', () => {
  for (const code of Object.keys(ERROR_CODES)) assert.ok(documented.includes(code), `${code} missing from docs/errors.md`);
});

test('every documented code exists', () => {
  for (const code of documented) assert.ok(code in ERROR_CODES, `docs/errors.md lists unknown ${code}`);
});

test('WafError formats code, message and details', () => {
  const error = new WafError('WAF_ERR_CONFIG', 'bad', { details: ['a', 'b'] });
  assert.equal(error.format(), 'WAF_ERR_CONFIG: bad\n  a\n  b');
  assert.equal(error.code, 'WAF_ERR_CONFIG');
});
