/**
 * Runs every declarative engine profile (test/engine/profiles/*.ts): load the
 * rules, drive each request through a transaction, compare matched rule ids,
 * interruptions, TX values and logged data with the expectations.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadRuleset } from '../../src/engine/index.ts';
import { runRequest } from './harness.ts';
import type { Profile } from './profiles/types.ts';
import { profiles as bodies } from './profiles/bodies.ts';
import { profiles as errors } from './profiles/errors.ts';
import { profiles as exclusions } from './profiles/exclusions.ts';
import { profiles as flow } from './profiles/flow.ts';
import { profiles as phases } from './profiles/phases.ts';
import { profiles as variables } from './profiles/variables.ts';

const ALL: readonly Profile[] = [...phases, ...flow, ...variables, ...exclusions, ...bodies, ...errors];

for (const profile of ALL) {
  describe(profile.name, () => {
    const { waf, errors: loadErrors } = loadRuleset([{ text: profile.rules, name: 'profile.conf' }]);
    if (profile.loadErrors) {
      it('reports every load error with file:line', () => {
        const got = loadErrors.map((e) => e.format());
        assert.equal(got.length, profile.loadErrors?.length, `errors:\n${got.join('\n')}`);
        profile.loadErrors?.forEach((re, i) => assert.match(got[i] ?? '', re));
      });
      return;
    }
    it('loads without errors', () => {
      assert.deepEqual(loadErrors.map((e) => e.format()), []);
    });
    for (const c of profile.cases) {
      it(c.name, () => {
        const tx = runRequest(waf, c.request);
        const ids = tx.matchedRules.map((m) => m.id);
        for (const id of c.expect.triggered ?? []) assert.ok(ids.includes(id), `expected rule ${id} to match; matched: ${ids.join(', ')}`);
        for (const id of c.expect.notTriggered ?? []) assert.ok(!ids.includes(id), `rule ${id} must not match; matched: ${ids.join(', ')}`);
        if (c.expect.interruption !== undefined) {
          if (c.expect.interruption === null) assert.equal(tx.interruption, null);
          else assert.deepEqual(pick(tx.interruption, c.expect.interruption), c.expect.interruption);
        }
        if (c.expect.wouldInterrupt !== undefined) {
          if (c.expect.wouldInterrupt === null) assert.equal(tx.wouldInterrupt, null);
          else assert.deepEqual(pick(tx.wouldInterrupt, c.expect.wouldInterrupt), c.expect.wouldInterrupt);
        }
        for (const [k, v] of Object.entries(c.expect.tx ?? {})) assert.equal(tx.txValue(k), v, `TX:${k}`);
        for (const [id, v] of Object.entries(c.expect.matchedVar ?? {})) {
          assert.equal(tx.matchedRules.find((m) => m.id === Number(id))?.matchedValue, v, `matched value of ${id}`);
        }
        for (const [id, v] of Object.entries(c.expect.msg ?? {})) {
          assert.equal(tx.matchedRules.find((m) => m.id === Number(id))?.msg, v, `msg of ${id}`);
        }
        for (const [id, v] of Object.entries(c.expect.logdata ?? {})) {
          assert.equal(tx.matchedRules.find((m) => m.id === Number(id))?.logdata, v, `logdata of ${id}`);
        }
        if (c.expect.auditRelevant !== undefined) assert.equal(tx.auditRelevant, c.expect.auditRelevant);
      });
    }
  });
}

function pick(actual: object | null, expected: object): object | null {
  if (actual === null) return null;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(expected)) out[k] = (actual as Record<string, unknown>)[k];
  return out;
}
