/**
 * Handler-level checks with supertest against proxy.server (supertest binds
 * it on an ephemeral port itself): the answers picket writes on its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createProxy } from '../../src/proxy/index.ts';
import type { Proxy } from '../../src/proxy/index.ts';
import { FakeWaf } from './fake-waf.ts';
import { RecordingLogger, RecordingObserver, startUpstream, testConfig } from './helpers.ts';
import type { Upstream } from './helpers.ts';

describe('proxy.server with supertest', () => {
  let upstream: Upstream;
  let proxy: Proxy;

  before(async () => {
    upstream = await startUpstream();
    proxy = createProxy({
      config: testConfig({ upstreams: [upstream.url], limits: { uriLength: 64 } }),
      wafFor: () => new FakeWaf(),
      observer: new RecordingObserver(),
      logger: new RecordingLogger(),
    });
  });
  after(async () => {
    await proxy.close(100);
    await upstream.close();
  });

  it('blocks with a JSON body holding only status and request id', async () => {
    const response = await request(proxy.server).get('/?q=attack').set('Accept', 'application/json').set('X-Request-Id', 'st-1');
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-request-id'], 'st-1');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.deepEqual(response.body, { status: 403, requestId: 'st-1' });
  });

  it('answers 414 for a long URI', async () => {
    const response = await request(proxy.server).get(`/${'a'.repeat(100)}`);
    assert.equal(response.status, 414);
    assert.match(response.text, /request id: [0-9a-f-]{36}/);
  });

  it('forwards clean requests', async () => {
    const response = await request(proxy.server).post('/echo').send('abc');
    assert.equal(response.status, 200);
    assert.equal(response.text, 'POST /echo 3');
  });
});
