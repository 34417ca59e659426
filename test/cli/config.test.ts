import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { ConfigSources } from '../../src/config/load.ts';
import { WafError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'picket-config-'));
const UP = [{ flag: 'upstream', value: 'http://127.0.0.1:3000' }];

function yamlFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problems(sources: ConfigSources): string[] {
  try {
    loadConfig(sources);
  } catch (error) {
    assert.ok(error instanceof WafError, String(error));
    assert.equal(error.code, 'WAF_ERR_CONFIG');
    return [...error.details];
  }
  assert.fail('expected a configuration error');
}

test('defaults give a complete frozen config', () => {
  const config = loadConfig({ flags: UP, env: {} });
  assert.equal(config.mode, 'inline');
  assert.deepEqual(config.listen, { host: '0.0.0.0', port: 8080 });
  assert.deepEqual(config.admin, { host: '0.0.0.0', port: 9090 });
  assert.deepEqual(config.upstreams, ['http://127.0.0.1:3000']);
  assert.equal(config.rules.paranoiaLevel, 1);
  assert.equal(config.rules.inboundAnomalyThreshold, 5);
  assert.equal(config.rules.outboundAnomalyThreshold, 4);
  assert.equal(config.limits.requestBody, 13_107_200);
  assert.equal(config.limits.requestBodyNoFiles, 131_072);
  assert.equal(config.audit.path, null);
  assert.equal(config.swarm, null);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.limits) && Object.isFrozen(config.upstreams));
  assert.throws(() => {
    (config.limits as { requestBody: number }).requestBody = 1;
  }, TypeError);
});

test('precedence: flags > env > file > defaults', () => {
  const file = yamlFile('prec.yaml', 'mode: detect\nrules:\n  paranoia: 2\n  inboundThreshold: 10\nlogLevel: debug\n');
  const config = loadConfig({
    file,
    env: { PICKET_PARANOIA: '3', PICKET_LOG_LEVEL: 'warn' },
    flags: [...UP, { flag: 'paranoia', value: '4' }],
  });
  assert.equal(config.rules.paranoiaLevel, 4, 'flag beats env and file');
  assert.equal(config.logLevel, 'warn', 'env beats file');
  assert.equal(config.mode, 'detect', 'file beats default');
  assert.equal(config.rules.inboundAnomalyThreshold, 10);
  assert.equal(config.rules.outboundAnomalyThreshold, 4, 'default');
});

test('empty environment variables count as unset', () => {
  const config = loadConfig({ env: { PICKET_CRS: '', PICKET_PARANOIA: ' ', PICKET_UPSTREAM: 'http://a:1' } });
  assert.equal(config.rules.crsDir, undefined);
  assert.equal(config.rules.paranoiaLevel, 1);
});

test('PICKET_CONFIG names the file', () => {
  const file = yamlFile('env.yaml', 'mode: mirror\n');
  assert.equal(loadConfig({ env: { PICKET_CONFIG: file } }).mode, 'mirror');
});

test('repeatable flags accumulate; env lists are comma separated', () => {
  const config = loadConfig({
    env: { PICKET_TRUSTED_PROXY: '10.0.0.0/8, 192.168.1.1' },
    flags: [...UP, { flag: 'upstream', value: 'https://b:8443' }],
  });
  assert.deepEqual(config.upstreams, ['http://127.0.0.1:3000', 'https://b:8443']);
  assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '192.168.1.1']);
});

test('sizes, durations, listen addresses and off', () => {
  const config = loadConfig({
    env: {},
    flags: [
      ...UP,
      { flag: 'body-limit', value: '1MiB' }, { flag: 'body-nofiles-limit', value: '64k' },
      { flag: 'upstream-timeout', value: '1.5s' }, { flag: 'listen', value: ':8081' },
      { flag: 'admin', value: 'off' }, { flag: 'audit-all', value: true }, { flag: 'audit-log', value: '-' },
    ],
  });
  assert.equal(config.limits.requestBody, 1024 * 1024);
  assert.equal(config.limits.requestBodyNoFiles, 65536);
  assert.equal(config.limits.upstreamTimeoutMs, 1500);
  assert.deepEqual(config.listen, { host: '0.0.0.0', port: 8081 });
  assert.equal(config.admin, null);
  assert.equal(config.audit.all, true);
  assert.equal(config.audit.path, '-');
});

test('bad values name their source', () => {
  const found = problems({
    env: { PICKET_PARANOIA: '7' },
    flags: [{ flag: 'mode', value: 'block' }, { flag: 'upstream', value: 'ftp://x' }, { flag: 'listen', value: 'nohost' }],
  });
  assert.ok(found.some((p) => p.startsWith('PICKET_PARANOIA: must be an integer 1-4')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('--mode: must be one of inline, detect, mirror')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('--upstream: must use http or https')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('--listen: must be host:port')), found.join('\n'));
});

test('YAML errors carry file:line, unknown keys get a suggestion', () => {
  const file = yamlFile('bad.yaml', [
    'mode: inline',
    'upstreams:',
    '  - http://a:1',
    '  - not a url',
    'rules:',
    '  paranioa: 2',
    'limits:',
    '  requestBody: lots',
    'listn: 0.0.0.0:1',
  ].join('\n'));
  const found = problems({ file, env: {} });
  const shown = file;
  assert.ok(found.includes(`${shown}:4: upstreams: must be a URL such as http://app:8080, got "not a url"`), found.join('\n'));
  assert.ok(found.includes(`${shown}:6: unknown key "rules.paranioa" (did you mean "paranoia"?)`), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith(`${shown}:8: limits.requestBody: must be a size`)), found.join('\n'));
  assert.ok(found.includes(`${shown}:9: unknown key "listn" (did you mean "listen"?)`), found.join('\n'));
});

test('YAML syntax errors carry their line', () => {
  const file = yamlFile('syntax.yaml', 'mode: inline\nrules:\n  paranoia: [1\n');
  const found = problems({ file, env: {} });
  assert.ok(found.some((p) => /syntax\.yaml:[34]: /.test(p)), found.join('\n'));
});

test('unknown flags and environment variables get a suggestion', () => {
  const found = problems({ env: { PICKET_PARANIOA: '2', PICKET_DIST: '1', PICKET_E2E_CRS: '0' }, flags: [...UP, { flag: 'upstreams', value: 'x' }] });
  assert.ok(found.includes('PICKET_PARANIOA: unknown environment variable (did you mean "PICKET_PARANOIA"?)'), found.join('\n'));
  assert.ok(found.includes('--upstreams: unknown option (did you mean "--upstream"?)'), found.join('\n'));
  assert.equal(found.filter((p) => p.includes('PICKET_DIST') || p.includes('PICKET_E2E')).length, 0);
});

test('cross-field checks', () => {
  const found = problems({
    env: {},
    flags: [
      { flag: 'body-limit', value: '1000' }, { flag: 'body-nofiles-limit', value: '2000' },
      { flag: 'crs-setup', value: '/x.conf' }, { flag: 'swarm-service', value: 'web' },
      { flag: 'admin', value: '0.0.0.0:8080' },
    ],
  });
  assert.ok(found.some((p) => p.startsWith('--body-nofiles-limit: body-nofiles-limit (2000) must not exceed body-limit')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('--crs-setup: a CRS setup file needs a CRS directory')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('--swarm-service: only applies with Swarm discovery')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('no upstream: inline mode forwards requests')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith("--admin: the admin listener must not use the proxy's port")), found.join('\n'));
  const sidecar = problems({ env: {}, flags: [{ flag: 'swarm', value: 'sidecar' }] });
  assert.ok(sidecar.some((p) => p.startsWith('--swarm: sidecar deployment needs the protected service')), sidecar.join('\n'));
});

test('swarm options build the swarm section; mirror needs no upstream', () => {
  const config = loadConfig({ env: {}, flags: [{ flag: 'swarm', value: 'ingress' }, { flag: 'swarm-network', value: 'front' }] });
  assert.deepEqual(config.swarm, { deployment: 'ingress', network: 'front', reconcileMs: 5_000, labelPrefix: 'picket.' });
  assert.equal(loadConfig({ env: {}, flags: [{ flag: 'mode', value: 'mirror' }] }).upstreams.length, 0);
});

test('relative paths in YAML resolve against the file directory', () => {
  const file = yamlFile('paths.yaml', 'rules:\n  files: [local.conf]\n  crs: crs\naudit:\n  path: audit.jsonl\n');
  const config = loadConfig({ file, env: {}, flags: UP });
  assert.deepEqual(config.rules.files, [join(dir, 'local.conf')]);
  assert.equal(config.rules.crsDir, join(dir, 'crs'));
  assert.equal(config.audit.path, join(dir, 'audit.jsonl'));
});

test('a missing config file is reported', () => {
  const found = problems({ file: join(dir, 'nope.yaml'), env: {}, flags: UP });
  assert.ok(found.some((p) => p.includes('nope.yaml: cannot read configuration file (ENOENT)')), found.join('\n'));
});

test('workers: auto is one per available CPU, N is N; body buffer budget from any source', () => {
  assert.equal(loadConfig({ flags: UP }).workers, availableParallelism());
  assert.equal(loadConfig({ flags: [...UP, { flag: 'workers', value: '3' }] }).workers, 3);
  assert.equal(loadConfig({ flags: UP, env: { PICKET_WORKERS: '1' } }).workers, 1);
  assert.equal(loadConfig({ flags: UP, file: yamlFile('workers.yaml', 'workers: 4\nlimits:\n  bodyBufferBytes: 64MiB\n') }).workers, 4);
  assert.equal(loadConfig({ flags: UP, file: join(dir, 'workers.yaml') }).limits.bodyBufferBytes, 64 * 1024 * 1024);
  assert.equal(loadConfig({ flags: UP }).limits.bodyBufferBytes, 256 * 1024 * 1024);
  assert.equal(loadConfig({ flags: UP, env: { PICKET_BODY_BUFFER_BYTES: '1MiB' } }).limits.bodyBufferBytes, 1024 * 1024);
  const found = problems({ flags: [...UP, { flag: 'workers', value: '0' }], env: { PICKET_BODY_BUFFER_BYTES: 'lots' } });
  assert.ok(found.some((p) => p.startsWith('--workers: must be an integer 1-1024, got "0"')), found.join('\n'));
  assert.ok(found.some((p) => p.startsWith('PICKET_BODY_BUFFER_BYTES: must be a size')), found.join('\n'));
});
