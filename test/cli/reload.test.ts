/**
 * SIGHUP reload with CRS under traffic (src/main.ts reload): requests keep
 * being answered while the new ruleset compiles, the switch is atomic (a
 * request sees the old or the new ruleset, never a mix), a broken new file
 * keeps the running ruleset and logs its file:line, and reloads asked for
 * while one runs coalesce into one that runs after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { startPicket } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { denying, reloadFixture, statusOf } from './reload-fixture.ts';

const CRS = new URL('../../../shared/crs-4.28.0', import.meta.url).pathname;

/** A logger whose JSON lines are kept for the test to read. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

test('requests are answered while CRS reloads; the switch is atomic; a broken file keeps the old ruleset', async () => {
  const { config, rules, closeUpstream } = await reloadFixture([{ flag: 'crs', value: CRS }]);
  const { logger, lines } = capturingLogger();
  const picket = await startPicket(config, { logger });
  const port = picket.proxyPort;
  try {
    assert.ok(picket.waf.ruleCount > 500, `CRS loaded? ${picket.waf.ruleCount} rules`);
    assert.equal(await statusOf(port, '/', { 'x-block': 'a' }), 403);
    assert.equal(await statusOf(port, '/?q=%3Cscript%3Ealert(1)%3C/script%3E'), 403, 'CRS blocks XSS');

    // 1. Requests during a reload: sent one after another until the reload is done.
    writeFileSync(rules, denying('b'));
    let done = false;
    const reloading = picket.reload().finally(() => (done = true));
    const seen: number[] = [];
    while (!done && seen.length < 10_000) seen.push(await statusOf(port, '/', { 'x-block': 'a' }));
    assert.deepEqual(await reloading, { ok: true, rules: picket.waf.ruleCount });
    // A reload that blocked the event loop would let exactly one request through: the one sent before it
    // started, answered after it ended. A second CRS compile reuses parsed files and regexes (~50-100 ms),
    // so only a few requests fit in; how short the slices are is measured by test/engine/async-load.test.ts.
    assert.ok(seen.length >= 2, `only ${seen.length} request answered during the reload: it blocked the event loop`);
    console.log(`# ${seen.length} requests answered during the CRS reload`);
    // Old ruleset (403 for a) until the switch, then the new one (200 for a); never back.
    const firstNew = seen.indexOf(200);
    assert.ok(seen.every((s, i) => s === (firstNew === -1 || i < firstNew ? 403 : 200)), seen.join(','));
    assert.equal(await statusOf(port, '/', { 'x-block': 'a' }), 200);
    assert.equal(await statusOf(port, '/', { 'x-block': 'b' }), 403);
    assert.equal(await statusOf(port, '/?q=%3Cscript%3Ealert(1)%3C/script%3E'), 403, 'CRS still blocks XSS');

    // 2. A broken file: the running ruleset stays, the error names file:line.
    writeFileSync(rules, `${denying('c')}SecRule ARGS "@bogus" "id:78,phase:2,deny"\n`);
    const failed = await picket.reload();
    assert.equal(failed.ok, false);
    assert.equal(await statusOf(port, '/', { 'x-block': 'b' }), 403, 'the previous ruleset stays in force');
    assert.equal(await statusOf(port, '/', { 'x-block': 'c' }), 200);
    const logged = lines.find((l) => l.msg === 'ruleset reload failed; the running ruleset stays');
    assert.ok(logged, 'reload failure logged');
    const details = logged.details as string[];
    assert.ok(details.some((d) => d.startsWith(`${rules}:2: `) && /@bogus/i.test(d)), details.join('\n'));

    // 3. Reloads asked for during one coalesce into one more, which loads the files as they are last.
    writeFileSync(rules, denying('d'));
    const first = picket.reload();
    const second = picket.reload();
    const third = picket.reload();
    assert.equal(second, third, 'reloads asked for while one runs share one queued reload');
    writeFileSync(rules, denying('e'));
    assert.equal((await first).ok, true);
    assert.equal((await second).ok, true);
    assert.equal(await statusOf(port, '/', { 'x-block': 'e' }), 403, 'the queued reload read the file as last written');
    assert.equal(await statusOf(port, '/', { 'x-block': 'd' }), 200);
  } finally {
    await picket.close(1000);
    await closeUpstream();
  }
});
