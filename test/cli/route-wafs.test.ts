/**
 * Per-route rulesets compile between requests (src/cli/route-wafs.ts): a
 * route is routed only with its own ruleset or the one it had before, never
 * with the global one while its own compiles; traffic to other routes goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { RouteWafs } from '../../src/cli/route-wafs.ts';
import { compileRuleset } from '../../src/cli/compile.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Provider, Route, Snapshot } from '../../src/discovery/types.ts';
import { startPicket } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { reloadFixture, statusOf } from './reload-fixture.ts';

const CRS = new URL('../../../shared/crs-4.28.0', import.meta.url).pathname;
const silent = { error: () => {}, info: () => {} };

function route(service: string, waf: Route['waf'], endpoint = 'http://127.0.0.1:1'): Route {
  return { service, hosts: [`${service}.local`], pathPrefix: '/', endpoints: [endpoint], waf };
}

test('servable: ready routes as discovered, changed options keep the previous ones, new ones wait', async () => {
  const { config, closeUpstream } = await reloadFixture();
  try {
    const wafs = new RouteWafs(config, compileRuleset(config), silent);
    const s1: Snapshot = { routes: [route('shop', {}), route('api', { paranoiaLevel: 2 })] };
    assert.deepEqual(wafs.servable(s1, { routes: [] }).routes.map((r) => r.service), ['shop'], 'api waits for its ruleset');
    await wafs.prepare(s1);
    assert.equal(wafs.servable(s1, { routes: [] }), s1, 'everything ready: the snapshot as discovered');
    const apiWaf = wafs.wafFor(s1.routes[1]);
    assert.notEqual(apiWaf, wafs.defaultWaf);

    // api changes its options and moves to another endpoint; admin is new.
    const s2: Snapshot = { routes: [route('shop', {}), route('api', { paranoiaLevel: 3 }, 'http://127.0.0.1:2'), route('admin', { mode: 'detect' })] };
    const view = wafs.servable(s2, s1);
    assert.deepEqual(view.routes.map((r) => r.service), ['shop', 'api']);
    assert.deepEqual(view.routes[1]!.waf, { paranoiaLevel: 2 }, 'previous options until the new ones compile');
    assert.deepEqual(view.routes[1]!.endpoints, ['http://127.0.0.1:2'], 'new endpoints at once');
    assert.equal(wafs.wafFor(view.routes[1]), apiWaf);
    await wafs.prepare(s2);
    assert.equal(wafs.servable(s2, view), s2);
    wafs.forgetUnused(s2);
    assert.equal(wafs.ready(route('api', { paranoiaLevel: 2 })), false, 'the unused option set is forgotten');
  } finally {
    await closeUpstream();
  }
});

test('options that fail to compile: the route uses the global ruleset, logged once', async () => {
  const { config, closeUpstream } = await reloadFixture();
  try {
    const errors: string[] = [];
    const wafs = new RouteWafs(config, compileRuleset(config), { error: (_o, msg) => errors.push(msg), info: () => {} });
    const broken = route('api', { extraRules: ['/nonexistent/picket-extra.conf'] });
    const snapshot: Snapshot = { routes: [broken] };
    await wafs.prepare(snapshot);
    await wafs.prepare({ routes: [broken] });
    assert.equal(wafs.ready(broken), true);
    assert.equal(wafs.wafFor(broken), wafs.defaultWaf);
    assert.equal(errors.length, 1, errors.join('\n'));
  } finally {
    await closeUpstream();
  }
});

test('with CRS: other routes answer while a route ruleset compiles; the route is never served by the global one', async () => {
  const { config: base, closeUpstream } = await reloadFixture();
  const upstream = base.upstreams[0]!;
  const config = loadConfig({
    env: {},
    flags: [{ flag: 'swarm', value: 'ingress' }, { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: 'off' }, { flag: 'crs', value: CRS }],
  });
  let emit: ((snapshot: Snapshot) => void) | undefined;
  const provider: Provider = { async start(onSnapshot) { emit = onSnapshot; }, async stop() {} };
  const logger = createLogger({ level: 'error', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const picket = await startPicket(config, { provider, logger });
  const port = picket.proxyPort;
  const attack = "/?id=1'%20OR%20'1'='1";
  const host = (name: string) => ({ host: `${name}.local` });
  /** Statuses of `path` on `name` until one differs from `status` (bounded); other routes are asked in between. */
  const until = async (name: string, path: string, status: number): Promise<{ seen: number[]; others: number }> => {
    const seen: number[] = [];
    let others = 0;
    while (seen.length < 2000) {
      const s = await statusOf(port, path, host(name));
      seen.push(s);
      if (s !== status) break;
      assert.equal(await statusOf(port, '/', host('shop')), 200);
      others++;
    }
    return { seen, others };
  };
  try {
    emit!({ routes: [route('shop', {}, upstream)] });
    assert.equal(await statusOf(port, attack, host('shop')), 403, 'CRS PL1 blocks on shop');

    // A new service asking for DetectionOnly: not routed (404) until compiled, then forwarded with its own ruleset.
    // (An unrouted request is still inspected by the global ruleset, so the probe is benign.)
    emit!({ routes: [route('shop', {}, upstream), route('api', { mode: 'detect' }, upstream)] });
    const added = await until('api', '/', 404);
    assert.equal(added.seen.at(-1), 200, added.seen.join(','));
    assert.equal(await statusOf(port, attack, host('api')), 200, 'its own DetectionOnly ruleset from the first routed request');
    // A second CRS compile reuses the parsed files and regexes (~70 ms), so few requests fit in it; the
    // slicing itself is measured by test/engine/async-load.test.ts.
    assert.ok(added.others >= 1, `no request to shop answered while api's CRS compiled: ${added.seen.join(',')}`);
    console.log(`# ${added.others} requests answered while a route's CRS compiled`);

    // api switches back to blocking: its DetectionOnly ruleset serves (200) until the new one is ready (403).
    emit!({ routes: [route('shop', {}, upstream), route('api', { mode: 'inline', paranoiaLevel: 1 }, upstream)] });
    const changed = await until('api', attack, 200);
    assert.equal(changed.seen.at(-1), 403, changed.seen.join(','));
  } finally {
    await picket.close(1000);
    await closeUpstream();
  }
});
