/**
 * Transformations against outputs recorded from ModSecurity v2's own C
 * functions (re_tfns.c / msc_util.c from v2/master, compiled standalone), on
 * inputs dense in escapes, entities, comment markers, UTF-8 and NUL bytes.
 * See test/fixtures/seclang-vectors/transformations-v2.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getTransformation } from './index.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/seclang-vectors/transformations-v2.json', import.meta.url), 'utf8'),
) as { engine: string; cases: Record<string, Array<[string, string]>> };

for (const [name, cases] of Object.entries(fixture.cases)) {
  test(`t:${name} agrees with ModSecurity v2 on ${cases.length} recorded inputs`, () => {
    const fn = getTransformation(name);
    assert.ok(fn, `t:${name} is not registered`);
    for (const [input, expected] of cases) assert.equal(fn(input), expected, JSON.stringify(input));
  });
}
