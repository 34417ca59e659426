import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSnapshot, endpointFor, type BuildOptions } from '../../src/discovery/swarm/build.ts';
import { on, running, state, swarmService, swarmTask } from './fake-swarm.ts';

const sidecar: BuildOptions = { deployment: 'sidecar', service: 'app', network: 'backend', labelPrefix: 'picket.' };
const ingress: BuildOptions = { deployment: 'ingress', network: 'backend', labelPrefix: 'picket.' };
const app = swarmService('app', { 'picket.port': '8080' });

describe('buildSnapshot', () => {
  it('routes one endpoint per running task on the shared network, sorted, without the mask', () => {
    const { snapshot, problems } = buildSnapshot(
      {
        services: [app],
        tasks: [
          swarmTask('t2', 'svc-app', running(), on('ingress', '10.0.0.9/24', { ingress: true }), on('backend', '10.0.1.9/24')),
          swarmTask('t1', 'svc-app', running(), on('backend', '10.0.1.10/24')),
        ],
      },
      sidecar,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(snapshot, {
      routes: [
        { service: 'app', hosts: [], pathPrefix: '/', endpoints: ['http://10.0.1.10:8080', 'http://10.0.1.9:8080'], waf: {} },
      ],
    });
  });

  it('counts only tasks that are running and meant to run', () => {
    const tasks = [
      swarmTask('ok', 'svc-app', running(), on('backend', '10.0.1.2/24')),
      swarmTask('starting', 'svc-app', state('running', 'starting'), on('backend', '10.0.1.3/24')),
      swarmTask('preparing', 'svc-app', state('running', 'preparing'), on('backend', '10.0.1.4/24')),
      // Scaled away or replaced: still running, but already leaving.
      swarmTask('leaving', 'svc-app', state('shutdown', 'running'), on('backend', '10.0.1.5/24')),
      swarmTask('dead', 'svc-app', state('shutdown', 'shutdown'), on('backend', '10.0.1.6/24')),
      swarmTask('failed', 'svc-app', state('running', 'failed'), on('backend', '10.0.1.7/24')),
    ];
    const { snapshot } = buildSnapshot({ services: [app], tasks }, sidecar);
    assert.deepEqual(snapshot.routes[0]?.endpoints, ['http://10.0.1.2:8080']);
  });

  it('ignores tasks of other services', () => {
    const other = swarmService('db');
    const { snapshot } = buildSnapshot(
      { services: [app, other], tasks: [swarmTask('d1', 'svc-db', running(), on('backend', '10.0.1.50/24'))] },
      sidecar,
    );
    assert.deepEqual(snapshot.routes, [{ service: 'app', hosts: [], pathPrefix: '/', endpoints: [], waf: {} }]);
  });

  it('finds a sidecar service and its network by their names inside a stack', () => {
    const stackApp = swarmService('shop_app', { 'com.docker.stack.namespace': 'shop', 'picket.port': '3000' }, 'svc-app');
    const { snapshot, problems } = buildSnapshot(
      { services: [stackApp], tasks: [swarmTask('t1', 'svc-app', running(), on('shop_backend', '10.0.3.4/24'))] },
      sidecar,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(snapshot.routes[0]?.endpoints, ['http://10.0.3.4:3000']);
    assert.equal(snapshot.routes[0]?.service, 'shop_app');
  });

  it('reports a missing or ambiguous sidecar service with no routes', () => {
    const missing = buildSnapshot({ services: [swarmService('web')], tasks: [] }, sidecar);
    assert.deepEqual(missing.snapshot, { routes: [] });
    assert.match(missing.problems[0]?.message ?? '', /service 'app' not found/);
    const ns = (n: string) => ({ 'com.docker.stack.namespace': n });
    const twice = buildSnapshot({ services: [swarmService('a_app', ns('a')), swarmService('b_app', ns('b'))], tasks: [] }, sidecar);
    assert.match(twice.problems[0]?.message ?? '', /ambiguous: a_app, b_app/);
  });

  it('without a configured network uses the only non-ingress one, and reports ambiguity', () => {
    const options: BuildOptions = { deployment: 'sidecar', service: 'app', labelPrefix: 'picket.' };
    const one = buildSnapshot(
      { services: [app], tasks: [swarmTask('t1', 'svc-app', running(), on('ingress', '10.0.0.5/24', { ingress: true }), on('backend', '10.0.1.5/24'))] },
      options,
    );
    assert.deepEqual(one.snapshot.routes[0]?.endpoints, ['http://10.0.1.5:8080']);
    const two = buildSnapshot(
      { services: [app], tasks: [swarmTask('t1', 'svc-app', running(), on('front', '10.0.2.5/24'), on('backend', '10.0.1.5/24'))] },
      options,
    );
    assert.deepEqual(two.snapshot.routes[0]?.endpoints, []);
    assert.match(two.problems[0]?.message ?? '', /several networks \(front, backend\)/);
  });

  it('reports a task that is not on the configured network', () => {
    const { snapshot, problems } = buildSnapshot(
      { services: [app], tasks: [swarmTask('t9', 'svc-app', running(), on('other', '10.0.9.5/24'))] },
      sidecar,
    );
    assert.deepEqual(snapshot.routes[0]?.endpoints, []);
    assert.deepEqual(problems.map((p) => [p.level, p.task]), [['warn', 't9']]);
    assert.match(problems[0]?.message ?? '', /not attached to network 'backend'/);
  });

  it('ingress: routes enabled services by host and path, sorted by name, and skips the rest', () => {
    const services = [
      swarmService('web', { 'picket.enable': 'true', 'picket.host': 'www.example.com', 'picket.mode': 'detect' }),
      swarmService('api', { 'picket.enable': 'true', 'picket.port': '9000', 'picket.path': '/api', 'picket.exclude': '942100' }),
      swarmService('off', { 'picket.enable': 'false', 'picket.port': '1' }),
      swarmService('plain'),
    ];
    const tasks = [
      swarmTask('w1', 'svc-web', running(), on('backend', '10.0.1.20/24')),
      swarmTask('a1', 'svc-api', running(), on('backend', '10.0.1.30/24')),
      swarmTask('o1', 'svc-off', running(), on('backend', '10.0.1.40/24')),
    ];
    const { snapshot, problems } = buildSnapshot({ services, tasks }, ingress);
    assert.deepEqual(problems, []);
    assert.deepEqual(snapshot.routes, [
      { service: 'api', hosts: [], pathPrefix: '/api', endpoints: ['http://10.0.1.30:9000'], waf: { removeRuleIds: [942100] } },
      { service: 'web', hosts: ['www.example.com'], pathPrefix: '/', endpoints: ['http://10.0.1.20:80'], waf: { mode: 'detect' } },
    ]);
  });

  it('skips a service with an invalid label and names the service and label', () => {
    const services = [
      swarmService('good', { 'picket.enable': 'true' }),
      swarmService('bad', { 'picket.enable': 'true', 'picket.paranoia': '9' }),
      swarmService('worse', { 'picket.enable': 'maybe' }),
    ];
    const { snapshot, problems } = buildSnapshot({ services, tasks: [] }, ingress);
    assert.deepEqual(snapshot.routes.map((r) => r.service), ['good']);
    assert.deepEqual(problems.map((p) => [p.level, p.service, p.label]), [
      ['error', 'bad', 'picket.paranoia'],
      ['error', 'worse', 'picket.enable'],
    ]);
    assert.match(problems[0]?.message ?? '', /service 'bad' skipped: label picket\.paranoia="9": expected an integer from 1 to 4/);
  });

  it('is deterministic: the same input in another order gives an equal snapshot', () => {
    const services = [swarmService('b', { 'picket.enable': 'true' }), swarmService('a', { 'picket.enable': 'true' })];
    const tasks = [
      swarmTask('1', 'svc-a', running(), on('backend', '10.0.1.2/24')),
      swarmTask('2', 'svc-a', running(), on('backend', '10.0.1.1/24')),
      swarmTask('3', 'svc-b', running(), on('backend', '10.0.1.3/24')),
    ];
    const forward = buildSnapshot({ services, tasks }, ingress).snapshot;
    const backward = buildSnapshot({ services: [...services].reverse(), tasks: [...tasks].reverse() }, ingress).snapshot;
    assert.deepEqual(forward, backward);
  });
});

describe('endpointFor', () => {
  it('strips the mask and brackets IPv6', () => {
    assert.equal(endpointFor('10.0.1.7/24', 8080), 'http://10.0.1.7:8080');
    assert.equal(endpointFor('fd00::7/64', 80), 'http://[fd00::7]:80');
    assert.equal(endpointFor('10.0.1.7', 80), 'http://10.0.1.7:80');
  });
});
