/** Ruleset assembly: load order with CRS and plugins, generated settings, --rules expansion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assembleRuleset, crsSettingsText, engineSettingsText, expandRulePath, ruleEngineFor } from '../../src/config/ruleset.ts';
import type { RulesetInput } from '../../src/config/ruleset.ts';

const dir = mkdtempSync(join(tmpdir(), 'picket-ruleset-'));
const crs = join(dir, 'crs');
for (const sub of ['rules', 'plugins']) mkdirSync(join(crs, sub), { recursive: true });
for (const file of ['crs-setup.conf.example', 'rules/REQUEST-901-INITIALIZATION.conf', 'rules/REQUEST-949-BLOCKING-EVALUATION.conf',
  'rules/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf.example', 'rules/RESPONSE-959-BLOCKING-EVALUATION.conf', 'rules/x.data',
  'plugins/b-config.conf', 'plugins/a-config.conf', 'plugins/a-before.conf', 'plugins/a-after.conf', 'plugins/README.md']) {
  writeFileSync(join(crs, file), '# test\n');
}
const mine = join(dir, 'mine');
mkdirSync(mine);
writeFileSync(join(mine, '20-b.conf'), '');
writeFileSync(join(mine, '10-a.conf'), '');
writeFileSync(join(mine, 'notes.txt'), '');

const base: RulesetInput = {
  mode: 'inline',
  rules: { files: [], paranoiaLevel: 3, inboundAnomalyThreshold: 7, outboundAnomalyThreshold: 6 },
  limits: { requestBody: 1000, requestBodyNoFiles: 500, requestBodyAction: 'ProcessPartial', responseBody: 2000 },
};
const names = (input: RulesetInput): string[] => assembleRuleset(input).map((s) => (s.file ? basename(s.file) : s.name!));

test('CRS: setup, settings, plugin configs, before, rules by name, after, then --rules', () => {
  assert.deepEqual(names({ ...base, rules: { ...base.rules, crsDir: crs, files: [mine] } }), [
    'picket.conf', 'picket:settings',
    'crs-setup.conf.example', 'picket:crs-settings',
    'a-config.conf', 'b-config.conf', 'a-before.conf',
    'REQUEST-901-INITIALIZATION.conf', 'REQUEST-949-BLOCKING-EVALUATION.conf', 'RESPONSE-959-BLOCKING-EVALUATION.conf',
    'a-after.conf',
    '10-a.conf', '20-b.conf',
  ]);
});

test('crs-setup.conf is preferred to the example; --crs-setup wins', () => {
  writeFileSync(join(crs, 'crs-setup.conf'), '');
  try {
    assert.equal(names({ ...base, rules: { ...base.rules, crsDir: crs } })[2], 'crs-setup.conf');
    const custom = join(dir, 'my-setup.conf');
    writeFileSync(custom, '');
    assert.equal(names({ ...base, rules: { ...base.rules, crsDir: crs, crsSetup: custom } })[2], 'my-setup.conf');
  } finally {
    writeFileSync(join(crs, 'crs-setup.conf'), '');
  }
});

test('no CRS and no --rules: the core ruleset; --rules replaces it; route extras do not', () => {
  const core = names(base);
  assert.deepEqual(core.slice(0, 3), ['picket.conf', 'picket:settings', 'picket:core-settings']);
  assert.ok(core.includes('40-sql-injection.conf') && core.at(-1) === '90-blocking-evaluation.conf');
  assert.deepEqual(names({ ...base, rules: { ...base.rules, files: [join(mine, '10-a.conf')] } }), ['picket.conf', 'picket:settings', '10-a.conf']);
  const route = names({ ...base, extraFiles: [join(mine, '20-b.conf')], removeRuleIds: [1, 2] });
  assert.ok(route.includes('40-sql-injection.conf'));
  assert.deepEqual(route.slice(-2), ['20-b.conf', 'picket:route-exclusions']);
  const exclusions = assembleRuleset({ ...base, removeRuleIds: [1, 2] }).at(-1)!;
  assert.equal(exclusions.text, 'SecRuleRemoveById 1 2\n');
});

test('generated settings follow the config', () => {
  assert.equal(ruleEngineFor('inline'), 'On');
  assert.equal(ruleEngineFor('detect'), 'DetectionOnly');
  assert.equal(ruleEngineFor('mirror'), 'DetectionOnly');
  const engine = engineSettingsText({ ...base, mode: 'mirror' });
  for (const line of ['SecRuleEngine DetectionOnly', 'SecRequestBodyLimit 1000', 'SecRequestBodyNoFilesLimit 500', 'SecRequestBodyLimitAction ProcessPartial', 'SecResponseBodyLimit 2000']) {
    assert.ok(engine.split('\n').includes(line), line);
  }
  const settings = crsSettingsText(base.rules);
  assert.match(settings, /id:1510010,phase:1,pass,nolog/);
  assert.match(settings, /setvar:tx\.blocking_paranoia_level=3/);
  assert.match(settings, /setvar:tx\.inbound_anomaly_score_threshold=7/);
  assert.match(settings, /setvar:tx\.outbound_anomaly_score_threshold=6/);
});

test('--rules entries: file, directory (*.conf by name), glob; nothing matching is an error', () => {
  assert.deepEqual(expandRulePath(mine).map((f) => basename(f)), ['10-a.conf', '20-b.conf']);
  assert.deepEqual(expandRulePath(join(mine, '*-b.conf')).map((f) => basename(f)), ['20-b.conf']);
  assert.deepEqual(expandRulePath(join(mine, 'notes.txt')).map((f) => basename(f)), ['notes.txt']);
  assert.throws(() => expandRulePath(join(mine, '*.nope')), { code: 'WAF_ERR_RULES' });
  assert.throws(() => assembleRuleset({ ...base, rules: { ...base.rules, crsDir: mine } }), /no rules\/ directory/);
});
