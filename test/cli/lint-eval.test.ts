import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, CRS, ROOT, runCli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'picket-cli-'));
const bad = join(dir, 'bad.conf');
writeFileSync(bad, [
  '# a comment',
  'SecRule ARGS "@rx ok" "id:1,phase:2,pass"',
  'SecRule ARGS "@noSuchOperator x" "id:2,phase:2,deny"',
  'SecNoSuchDirective On',
  'SecRule ARGS "@rx (" "id:3,phase:2,deny"',
].join('\n'));

test('lint: malformed rules exit 1 with file:line for each error (spawned)', () => {
  const result = spawnSync(BIN, ['lint', bad], { encoding: 'utf8' });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`^${bad}:3: unsupported operator @noSuchOperator$`, 'mi'));
  assert.match(result.stderr, new RegExp(`^${bad}:4: unsupported directive SecNoSuchDirective$`, 'm'));
  assert.match(result.stderr, new RegExp(`^${bad}:5: `, 'm'));
  assert.match(result.stderr, /unsupported constructs \(2 uses\):/);
  assert.match(result.stderr, new RegExp(`operator @noSuchOperator: 1 use at ${bad}:3`, 'i'));
  assert.match(result.stderr, /3 errors in 1 file/);
});

test('lint: picket rulesets compile', async () => {
  const result = await runCli(['lint', join(ROOT, 'rulesets/picket.conf'), join(ROOT, 'rulesets/picket-core')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ok: \d+ rules from 9 files/);
});

test('lint: OWASP CRS 4.28 compiles with no unsupported construct', async () => {
  const result = await runCli(['lint', '--crs', CRS]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ok: \d{3,} rules from \d+ files/);
});

test('lint: usage errors', async () => {
  assert.equal((await runCli(['lint'])).code, 2);
  const missing = await runCli(['lint', join(dir, 'nope.conf')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /WAF_ERR_RULES: rules: .*nope\.conf: no such file, directory or matching glob/);
  assert.match((await runCli(['lint', '--crs-setup', 'x'])).stderr, /--crs-setup needs --crs DIR/);
});

const attack = "GET /?id=1'%20OR%20'1'='1 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: curl/8\r\n\r\n";

test('eval: a request file through the core ruleset', async () => {
  const file = join(dir, 'attack.http');
  writeFileSync(file, attack);
  const result = await runCli(['eval', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^request: GET \/\?id=1'%20OR%20'1'='1 HTTP\/1\.1 \(2 headers, 0 body bytes\)/);
  assert.match(result.stdout, /^ {2}1515000 \[phase 2\] .*SQL injection detected by libinjection$/m);
  assert.match(result.stdout, /^ {6}matched ARGS:id = "1' OR '1'='1"$/m);
  assert.match(result.stdout, /^verdict: blocked \(deny 403 by rule 1519000\)$/m);
  assert.match(result.stdout, /^anomaly scores: inbound 10, outbound 0$/m);
});

test('eval: stdin, --json, detect mode and a --rules file', async () => {
  const rules = join(dir, 'mine.conf');
  writeFileSync(rules, 'SecRule REQUEST_HEADERS:X-Test "@streq boom" "id:4242,phase:1,deny,status:418,msg:\'teapot\',logdata:\'%{MATCHED_VAR}\'"\n');
  const raw = 'POST /x HTTP/1.1\r\nHost: a\r\nX-Test: boom\r\nContent-Length: 3\r\n\r\nabc';
  const blocked = JSON.parse((await runCli(['eval', '--json', '--rules', rules, '-'], { stdin: raw })).stdout) as Record<string, unknown>;
  assert.equal(blocked.verdict, 'blocked');
  assert.deepEqual(blocked.interruption, { action: 'deny', status: 418, ruleId: 4242 });
  const rule = (blocked.matchedRules as Record<string, unknown>[])[0]!;
  assert.equal(rule.id, 4242);
  assert.equal(rule.matchedVar, 'REQUEST_HEADERS:X-Test');
  assert.equal(rule.logdata, 'boom');
  const detect = JSON.parse((await runCli(['eval', '--json', '--mode', 'detect', '--rules', rules], { stdin: raw })).stdout) as Record<string, unknown>;
  assert.equal(detect.verdict, 'would-block');
  assert.equal(detect.ruleEngine, 'DetectionOnly');
  const benign = JSON.parse((await runCli(['eval', '--json'], { stdin: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' })).stdout) as Record<string, unknown>;
  assert.equal(benign.verdict, 'allowed');
  assert.deepEqual(benign.matchedRules, []);
});

test('eval: CRS blocks the same attack', async () => {
  const result = JSON.parse((await runCli(['eval', '--json', '--crs', CRS], { stdin: attack })).stdout) as { verdict: string; matchedRules: { id: number }[]; scores: { inbound: number } };
  assert.equal(result.verdict, 'blocked');
  assert.ok(result.matchedRules.some((r) => r.id === 942100), JSON.stringify(result.matchedRules.map((r) => r.id)));
  assert.ok(result.matchedRules.some((r) => r.id === 949110));
  assert.ok(result.scores.inbound >= 5);
});

test('eval: malformed request and config errors exit 1 with their code', async () => {
  const malformed = await runCli(['eval'], { stdin: 'GET / HTTP/1.1\r\nbroken\r\n\r\n' });
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /WAF_ERR_REQUEST_PARSE: line 2: bad header line "broken"/);
  const config = await runCli(['eval', '--paranoia', '9'], { stdin: attack });
  assert.equal(config.code, 1);
  assert.match(config.stderr, /WAF_ERR_CONFIG: .*\n {2}--paranoia: must be an integer 1-4, got "9"/);
});

test('run --check: validates, compiles and prints the effective configuration without listening', async () => {
  const result = await runCli(['run', '--check', '--upstream', 'http://app:3000', '--paranoia', '2'], { env: { PICKET_MODE: 'detect' } });
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { ok: boolean; rules: number; ruleEngine: string; config: { mode: string; rules: { paranoiaLevel: number }; upstreams: string[] } };
  assert.equal(out.ok, true);
  assert.equal(out.ruleEngine, 'DetectionOnly');
  assert.equal(out.config.mode, 'detect');
  assert.equal(out.config.rules.paranoiaLevel, 2);
  assert.deepEqual(out.config.upstreams, ['http://app:3000']);
  assert.ok(out.rules > 10);
  const broken = await runCli(['run', '--check', '--upstream', 'http://app:3000', '--rules', bad]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /WAF_ERR_RULES: ruleset failed to load \(3 errors\)/);
  assert.ok(broken.stderr.includes(`${bad}:4: unsupported directive SecNoSuchDirective`));
});

test('bin/picket works from any directory and through a symlink', () => {
  const link = join(dir, 'picket-link');
  symlinkSync(BIN, link);
  const result = spawnSync(link, ['version'], { encoding: 'utf8', cwd: tmpdir() });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^picket \d+\.\d+\.\d+ \(node v24\./);
  const help = spawnSync(link, ['lint', '--help'], { encoding: 'utf8', cwd: tmpdir() });
  assert.match(help.stdout, /^Usage: picket lint/);
  const unknown = spawnSync(link, ['lnt'], { encoding: 'utf8', cwd: tmpdir() });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "lnt" \(did you mean "lint"\?\)/);
});
