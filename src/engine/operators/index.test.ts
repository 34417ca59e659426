import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { getOperator, operators } from './index.ts';

test('registry is alphabetical and case-insensitive, with ModSecurity aliases', () => {
  const names = Object.keys(operators);
  assert.deepEqual(names, [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  assert.equal(getOperator('RX'), operators.rx);
  assert.equal(getOperator('detectsqli'), operators.detectSQLi);
  assert.equal(getOperator('pmf'), getOperator('pmFromFile'));
  assert.equal(getOperator('ipMatchF'), getOperator('ipMatchFromFile'));
  assert.equal(getOperator('verifyCC'), undefined);
  assert.equal(getOperator('constructor'), undefined);
});

test('every operator CRS v4.28 uses is registered', () => {
  const dir = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url);
  const used = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf'))) {
    for (const m of readFileSync(new URL(file, dir), 'latin1').matchAll(/"!?@([a-zA-Z0-9]+)/g)) used.add(m[1] as string);
  }
  assert.ok(used.size >= 15, 'is ../shared/crs-4.28.0 present?');
  for (const name of used) assert.ok(getOperator(name), `@${name} is not implemented`);
});
