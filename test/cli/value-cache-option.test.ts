import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { compileRuleset } from '../../src/cli/compile.ts';
import { WafError } from '../../src/errors.ts';

const UP = [{ flag: 'upstream', value: 'http://127.0.0.1:3000' }];

test('--value-cache: 32 MiB by default, sizes from flags and env, 0 allowed, garbage refused', () => {
  assert.equal(loadConfig({ flags: UP }).limits.valueCache, 32 * 1024 * 1024);
  assert.equal(loadConfig({ flags: [...UP, { flag: 'value-cache', value: '8MiB' }] }).limits.valueCache, 8 * 1024 * 1024);
  assert.equal(loadConfig({ flags: UP, env: { PICKET_VALUE_CACHE: '0' } }).limits.valueCache, 0);
  assert.throws(() => loadConfig({ flags: [...UP, { flag: 'value-cache', value: 'lots' }] }), (e: unknown) => e instanceof WafError && /value-cache/.test(JSON.stringify(e.details)));
});

test('the compiled ruleset gets the configured value cache budget', () => {
  const config = loadConfig({ flags: [...UP, { flag: 'value-cache', value: '0' }] });
  const off = compileRuleset({ mode: config.mode, rules: config.rules, limits: config.limits }) as unknown as { valueCache: unknown };
  assert.equal(off.valueCache, null);
  const on = loadConfig({ flags: [...UP, { flag: 'value-cache', value: '1MiB' }] });
  const waf = compileRuleset({ mode: on.mode, rules: on.rules, limits: on.limits }) as unknown as { valueCache: { budgetBytes: number } };
  assert.equal(waf.valueCache.budgetBytes, 1024 * 1024);
});
