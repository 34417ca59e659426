/**
 * Loads the real OWASP CRS v4.28 (../shared/crs-4.28.0, never copied into the repo)
 * and asserts it compiles with zero errors.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { loadRuleset } from '../../src/engine/index.ts';

const CRS = resolve(import.meta.dirname, '../../../shared/crs-4.28.0');

it('loads OWASP CRS 4.28 (crs-setup.conf.example + rules/*.conf) with zero errors', () => {
  assert.ok(existsSync(CRS), `CRS not found at ${CRS}: the shared data directory must hold crs-4.28.0`);
  const { waf, errors } = loadRuleset([{ file: `${CRS}/crs-setup.conf.example` }, { file: `${CRS}/rules/*.conf` }]);
  const lines = errors.map((e) => e.format());
  assert.deepEqual(lines.slice(0, 40), [], `${errors.length} load error(s); first ones:\n${lines.slice(0, 40).join('\n')}`);
  assert.ok(waf.ruleCount > 500, `only ${waf.ruleCount} rules compiled`);
});
