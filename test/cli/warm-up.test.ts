/**
 * The engine warm-up in the composition root: picket answers /readyz 503
 * "warming up the engine" until the ruleset (OWASP CRS here) has run its
 * synthetic traffic, only then listens for requests, and warms a reloaded
 * ruleset before swapping it in. --warm-up 0 turns it off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.ts';
import { startPicket } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startUpstream } from '../proxy/helpers.ts';
import { CRS, freePort } from './helpers.ts';

interface LogLine {
  readonly msg: string;
  readonly transactions?: number;
  readonly reload?: boolean;
}

function capturingLogger(lines: LogLine[]) {
  return createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  });
}

test('with CRS: /readyz says "warming up" until the warm-up ends, then the proxy serves; a reload warms its ruleset too', async () => {
  assert.ok(existsSync(CRS), `CRS not found at ${CRS}: the shared data directory must hold crs-4.28.0`);
  const app = await startUpstream();
  const adminPort = await freePort();
  const lines: LogLine[] = [];
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: `127.0.0.1:${adminPort}` },
      { flag: 'upstream', value: app.url }, { flag: 'crs', value: CRS }, { flag: 'warm-up', value: '30s' },
    ],
  });
  const starting = startPicket(config, { logger: capturingLogger(lines) });
  let started = false;
  void starting.then(() => (started = true), () => (started = true));
  // Poll /readyz while start-up runs: the admin listener opens before the warm-up.
  const answers: string[] = [];
  while (!started) {
    const answer = await fetch(`http://127.0.0.1:${adminPort}/readyz`).then(async (r) => `${r.status} ${(await r.text()).trim()}`, () => 'refused');
    answers.push(answer);
    await new Promise((done) => setTimeout(done, 20));
  }
  const picket = await starting;
  try {
    assert.ok(answers.includes('503 not ready: warming up the engine'), `readyz answers during start-up: ${[...new Set(answers)].join(' | ')}`);
    const warmed = lines.find((l) => l.msg === 'engine warmed up');
    assert.ok(warmed, `no warm-up logged: ${lines.map((l) => l.msg).join(' | ')}`);
    assert.equal(warmed.transactions, 1500);
    const compiledAt = lines.findIndex((l) => l.msg === 'ruleset compiled');
    const warmedAt = lines.indexOf(warmed);
    const startedAt = lines.findIndex((l) => l.msg === 'picket started');
    assert.ok(compiledAt < warmedAt && warmedAt < startedAt, 'compile, then warm up, then listen');

    assert.equal((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${picket.proxyPort}/shop?q=shoes`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${picket.proxyPort}/shop?q=${encodeURIComponent("1' OR '1'='1' --")}`)).status, 403, 'the warm-up left CRS blocking');

    const reloaded = await picket.reload();
    assert.equal(reloaded.ok, true);
    const reloadWarm = lines.filter((l) => l.msg === 'engine warmed up' && l.reload === true);
    assert.equal(reloadWarm.length, 1, 'the reloaded ruleset was warmed before the swap');
    assert.ok(lines.findIndex((l) => l.msg === 'ruleset reloaded') > lines.indexOf(reloadWarm[0]!));
  } finally {
    await picket.close(1000);
    await app.close();
  }
});

test('--warm-up 0: no warm-up, picket starts serving at once', async () => {
  const app = await startUpstream();
  const lines: LogLine[] = [];
  const config = loadConfig({
    env: {},
    flags: [{ flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: 'off' }, { flag: 'upstream', value: app.url }, { flag: 'warm-up', value: '0' }],
  });
  const picket = await startPicket(config, { logger: capturingLogger(lines) });
  try {
    assert.equal(lines.some((l) => l.msg.startsWith('engine warm')), false);
    assert.equal((await fetch(`http://127.0.0.1:${picket.proxyPort}/`)).status, 200);
  } finally {
    await picket.close(1000);
    await app.close();
  }
});
