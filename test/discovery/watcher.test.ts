import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SwarmConfig } from '../../src/config/types.ts';
import type { Provider, Snapshot } from '../../src/discovery/types.ts';
import { createSwarmWatcher, isRelevantEvent } from '../../src/discovery/swarm/watcher.ts';
import { createSwarmProvider } from '../../src/discovery/swarm/index.ts';
import {
  FakeSwarmClient,
  containerEvent,
  on,
  recordingLogger,
  running,
  serviceEvent,
  state,
  swarmService,
  swarmTask,
  waitFor,
} from './fake-swarm.ts';

const QUIET: SwarmConfig = { deployment: 'sidecar', service: 'app', network: 'backend', reconcileMs: 60_000, labelPrefix: 'picket.' };
const task = (id: string, ip: string, ...rest: Parameters<typeof swarmTask>[2][]) =>
  swarmTask(id, 'svc-app', running(), on('backend', `${ip}/24`), ...rest);
const endpoints = (s: Snapshot | undefined) => s?.routes[0]?.endpoints;

let provider: Provider | undefined;
afterEach(async () => {
  await provider?.stop();
  provider = undefined;
});

function setup(config: SwarmConfig = QUIET, extra: { backoffInitialMs?: number } = {}) {
  const client = new FakeSwarmClient();
  client.services = [swarmService('app', { 'picket.port': '8080' })];
  const logger = recordingLogger();
  const snapshots: Snapshot[] = [];
  provider = createSwarmWatcher({ client, config, logger, debounceMs: 5, settleMs: 20, backoffInitialMs: extra.backoffInitialMs ?? 5, backoffMaxMs: 50 });
  const start = () => provider!.start((s) => snapshots.push(s));
  return { client, logger, snapshots, start, latest: () => snapshots.at(-1) };
}

describe('swarm watcher', () => {
  it('emits the first snapshot before start resolves', async () => {
    const { client, snapshots, start } = setup();
    client.tasks = [task('t1', '10.0.1.2'), task('t2', '10.0.1.3')];
    await start();
    assert.equal(snapshots.length, 1);
    assert.deepEqual(endpoints(snapshots[0]), ['http://10.0.1.2:8080', 'http://10.0.1.3:8080']);
  });

  it('follows churn on events: replicas added, a leaving task dropped at once, removed ones gone', async () => {
    const { client, start, latest } = setup();
    client.tasks = [task('t1', '10.0.1.2'), task('t2', '10.0.1.3')];
    await start();
    await waitFor(() => client.eventConnects === 1, 'the event stream');

    client.tasks.push(task('t3', '10.0.1.4'), swarmTask('t4', 'svc-app', state('running', 'starting'), on('backend', '10.0.1.5/24')));
    client.emit(serviceEvent('update'));
    await waitFor(() => endpoints(latest())?.length === 3, 'scale up');
    assert.deepEqual(endpoints(latest()), ['http://10.0.1.2:8080', 'http://10.0.1.3:8080', 'http://10.0.1.4:8080']);

    // Scale down: Swarm marks t1 for shutdown while its container still runs.
    client.tasks[0] = task('t1', '10.0.1.2', state('shutdown', 'running'));
    client.emit(containerEvent('kill'));
    await waitFor(() => !endpoints(latest())?.includes('http://10.0.1.2:8080'), 'the leaving task to go');
    assert.deepEqual(endpoints(latest()), ['http://10.0.1.3:8080', 'http://10.0.1.4:8080']);

    client.tasks = client.tasks.filter((t) => t.ID !== 't1' && t.ID !== 't2');
    client.emit(containerEvent('die'));
    await waitFor(() => endpoints(latest())?.length === 1, 'the removed task to go');
    assert.deepEqual(endpoints(latest()), ['http://10.0.1.4:8080']);
  });

  it('reconciles periodically without events', async () => {
    const { client, start, latest } = setup({ ...QUIET, reconcileMs: 10 });
    client.tasks = [task('t1', '10.0.1.2')];
    await start();
    client.tasks.push(task('t2', '10.0.1.3'));
    await waitFor(() => endpoints(latest())?.length === 2, 'the periodic reconcile');
  });

  it('does not emit a snapshot equal to the last one', async () => {
    const { client, snapshots, start } = setup({ ...QUIET, reconcileMs: 5 });
    client.tasks = [task('t1', '10.0.1.2')];
    await start();
    const before = client.listCalls;
    await waitFor(() => client.listCalls >= before + 10, 'ten reconciles');
    assert.equal(snapshots.length, 1);
    client.tasks.push(task('t2', '10.0.1.3'));
    await waitFor(() => snapshots.length === 2, 'the changed snapshot');
    const after = client.listCalls;
    await waitFor(() => client.listCalls >= after + 10, 'ten more reconciles');
    assert.equal(snapshots.length, 2);
  });

  it('keeps the last pool while Docker is unreachable, logs once, and recovers', async () => {
    const { client, logger, snapshots, start, latest } = setup({ ...QUIET, reconcileMs: 5 });
    client.tasks = [task('t1', '10.0.1.2'), task('t2', '10.0.1.3')];
    await start();
    client.down = new Error('connect ECONNREFUSED /var/run/docker.sock');
    const calls = client.listCalls;
    await waitFor(() => client.listCalls >= calls + 10, 'reconciles during the outage');
    assert.equal(snapshots.length, 1, 'nothing emitted while unreachable');
    const outage = logger.lines.filter((l) => /unreachable/.test(l.msg));
    assert.equal(outage.length, 1);
    assert.equal(outage[0]?.level, 'error');
    assert.deepEqual(outage[0]?.obj, { err: 'connect ECONNREFUSED /var/run/docker.sock', keptEndpoints: 2 });

    client.tasks = [task('t2', '10.0.1.3')];
    client.down = undefined;
    await waitFor(() => snapshots.length === 2, 'the snapshot after recovery');
    assert.deepEqual(endpoints(latest()), ['http://10.0.1.3:8080']);
    assert.ok(logger.lines.some((l) => l.level === 'info' && /reachable again/.test(l.msg)));
  });

  it('reopens a broken event stream with backoff and catches up on what it missed', async () => {
    const { client, logger, start, latest } = setup();
    client.tasks = [task('t1', '10.0.1.2')];
    client.eventConnectFailures = 2;
    await start();
    await waitFor(() => client.eventConnects === 1, 'the first connection after two failures');
    assert.equal(logger.lines.filter((l) => /failed; reopening/.test(l.msg)).length, 2);

    client.tasks.push(task('t2', '10.0.1.3')); // happens while the stream is down: no event arrives
    client.eventConnectFailures = 1;
    client.breakStream();
    await waitFor(() => client.eventConnects === 2, 'the reconnection');
    await waitFor(() => endpoints(latest())?.length === 2, 'the catch-up reconcile');

    client.tasks.push(task('t3', '10.0.1.4'));
    client.endStream();
    await waitFor(() => client.eventConnects === 3, 'the reconnection after a clean end');
    await waitFor(() => endpoints(latest())?.length === 3, 'the second catch-up');
    assert.ok(logger.lines.some((l) => /ended; reopening/.test(l.msg)));
    const filters = client.eventFilters.at(-1);
    assert.deepEqual(filters?.types, ['service', 'container']);
    for (const action of ['start', 'die', 'kill', 'health_status', 'create', 'update', 'remove']) {
      assert.ok(filters?.actions?.includes(action), `asks for ${action} events`);
    }
    assert.ok(!filters?.actions?.some((a) => a.startsWith('exec')), 'never asks for healthcheck exec events');
  });

  it('skips a sidecar service with invalid labels, logs it once, and routes it once fixed', async () => {
    const { client, logger, snapshots, start, latest } = setup({ ...QUIET, reconcileMs: 5 });
    client.services = [swarmService('app', { 'picket.port': 'http' })];
    client.tasks = [task('t1', '10.0.1.2')];
    await start();
    assert.deepEqual(snapshots, [{ routes: [] }]);
    const calls = client.listCalls;
    await waitFor(() => client.listCalls >= calls + 5, 'more reconciles');
    const errors = logger.lines.filter((l) => l.level === 'error');
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0]?.obj, { service: 'app', label: 'picket.port' });
    assert.match(errors[0]?.msg ?? '', /service 'app' skipped: label picket\.port="http"/);

    // A task change while the service is skipped does not repeat the label error.
    client.tasks.push(swarmTask('t2', 'svc-app', running(), on('elsewhere', '10.0.9.2/24')));
    const more = client.listCalls;
    await waitFor(() => client.listCalls >= more + 5, 'reconciles with the new problem');
    assert.equal(logger.lines.filter((l) => l.level === 'error').length, 1);

    client.services = [swarmService('app', { 'picket.port': '8080' })];
    await waitFor(() => endpoints(latest())?.length === 1, 'the fixed service');
    // Once routed, the task on another network is reported, once, beside the good one.
    const warnings = logger.lines.filter((l) => l.level === 'warn' && /t2 of 'app' not attached to network 'backend'/.test(l.msg));
    assert.equal(warnings.length, 1);
  });

  it('ingress: routes every enabled service', async () => {
    const { client, start, latest } = setup({ deployment: 'ingress', network: 'backend', reconcileMs: 60_000, labelPrefix: 'picket.' });
    client.services = [swarmService('app', { 'picket.enable': 'true', 'picket.host': 'a.example' }), swarmService('db')];
    client.tasks = [task('t1', '10.0.1.2'), swarmTask('d1', 'svc-db', running(), on('backend', '10.0.1.9/24'))];
    await start();
    assert.deepEqual(latest()?.routes.map((r) => [r.service, r.hosts, r.endpoints]), [['app', ['a.example'], ['http://10.0.1.2:80']]]);
  });

  it('survives a snapshot consumer that throws', async () => {
    const client = new FakeSwarmClient();
    client.services = [swarmService('app')];
    client.tasks = [task('t1', '10.0.1.2')];
    const logger = recordingLogger();
    let calls = 0;
    provider = createSwarmWatcher({ client, config: { ...QUIET, reconcileMs: 5 }, logger });
    await provider.start(() => {
      calls += 1;
      throw new Error('boom');
    });
    client.tasks.push(task('t2', '10.0.1.3'));
    await waitFor(() => calls === 2, 'the second snapshot');
    assert.ok(logger.lines.some((l) => l.level === 'error' && /applying a route snapshot failed/.test(l.msg)));
  });

  it('stops: no reconcile and no event stream after stop()', async () => {
    const { client, start } = setup({ ...QUIET, reconcileMs: 5 });
    await start();
    await waitFor(() => client.eventConnects === 1, 'the event stream');
    await provider!.stop();
    provider = undefined;
    const calls = client.listCalls;
    client.emit(serviceEvent('update'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.listCalls, calls);
  });

  it('createSwarmProvider uses the given client', async () => {
    const client = new FakeSwarmClient();
    client.services = [swarmService('app')];
    client.tasks = [task('t1', '10.0.1.2')];
    const snapshots: Snapshot[] = [];
    provider = createSwarmProvider(QUIET, { docker: client, logger: recordingLogger() });
    await provider.start((s) => snapshots.push(s));
    assert.deepEqual(endpoints(snapshots[0]), ['http://10.0.1.2:80']);
  });
});

describe('isRelevantEvent', () => {
  it('keeps service events and task container lifecycle events, drops healthcheck execs and non-task containers', () => {
    assert.equal(isRelevantEvent(serviceEvent('update')), true);
    assert.equal(isRelevantEvent(containerEvent('start')), true);
    assert.equal(isRelevantEvent(containerEvent('kill')), true);
    assert.equal(isRelevantEvent(containerEvent('health_status: healthy')), true);
    assert.equal(isRelevantEvent(containerEvent('exec_start: node -e ...')), false);
    assert.equal(isRelevantEvent({ Type: 'container', Action: 'start', Actor: { ID: 'x', Attributes: {} } }), false);
    assert.equal(isRelevantEvent({ Type: 'network', Action: 'connect' }), false);
  });
});
