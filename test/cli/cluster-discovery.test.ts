/**
 * The cluster primary in-process with a fake discovery provider: discovery
 * starts once, in the primary; its snapshots reach every worker; /readyz
 * waits for all workers to have routes; shutdown stops discovery and the workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCluster } from '../../src/cli/cluster/primary.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Provider, Snapshot } from '../../src/discovery/types.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { freePort } from './helpers.ts';


function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject).end();
  });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('discovery runs once in the primary; every worker applies its snapshots', async () => {
  const upstream = createServer((_req, res) => res.writeHead(200).end('app'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  let emit: ((snapshot: Snapshot) => void) | undefined;
  let starts = 0;
  let stopped = false;
  const provider: Provider = {
    async start(onSnapshot) {
      starts++;
      emit = onSnapshot;
    },
    async stop() {
      stopped = true;
    },
  };
  const [port, adminPort] = [await freePort(), await freePort()];
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'swarm', value: 'ingress' }, { flag: 'workers', value: '2' }, { flag: 'log-level', value: 'error' },
      { flag: 'listen', value: `127.0.0.1:${port}` }, { flag: 'admin', value: `127.0.0.1:${adminPort}` },
    ],
  });
  assert.equal(config.workers, 2);
  const stopping = Promise.withResolvers<string>();
  const logger = createLogger({ level: 'error', destination: new Writable({ write(_c, _e, done) { done(); } }) });
  const running = runCluster(config, { logger, stopping: stopping.promise, onReload: () => undefined, graceMs: 1000, provider, execArgv: [] });
  const admin = `http://127.0.0.1:${adminPort}`;
  try {
    await until(async () => emit !== undefined, 'discovery to start');
    const before = await fetch(`${admin}/readyz`);
    assert.equal(before.status, 503);
    assert.match(await before.text(), /0\/2 workers ready \(no routes yet/);

    emit!({ routes: [{ service: 'shop', hosts: ['shop.local'], pathPrefix: '/', endpoints: [origin], waf: {} }] });
    await until(async () => (await fetch(`${admin}/readyz`)).status === 200, 'every worker to apply the snapshot');
    // Fresh connections are dealt round-robin, so both workers answer some of these; all know the route.
    const statuses = await Promise.all(Array.from({ length: 8 }, () => get(port, '/', 'shop.local')));
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.equal(await get(port, "/?id=1'%20OR%20'1'='1", 'shop.local'), 403);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    assert.match(metrics, /^picket_requests_total\{mode="inline",verdict="allowed"\} 8$/m);
    assert.match(metrics, /^picket_workers_ready 2$/m);
    assert.equal(starts, 1, 'one provider, in the primary');
  } finally {
    stopping.resolve('SIGTERM');
    assert.equal(await running, 0);
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
  assert.equal(stopped, true);
});
