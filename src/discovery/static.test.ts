import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot } from './types.ts';
import { staticProvider, staticSnapshot } from './static.ts';

describe('static upstreams', () => {
  it('become one route for every host and path', () => {
    assert.deepEqual(staticSnapshot(['http://a:1', 'http://b:2']), {
      routes: [{ service: 'static', hosts: [], pathPrefix: '/', endpoints: ['http://a:1', 'http://b:2'], waf: {} }],
    });
  });
  it('no upstreams, no routes', () => {
    assert.deepEqual(staticSnapshot([]), { routes: [] });
  });
  it('the provider emits the snapshot once on start', async () => {
    const seen: Snapshot[] = [];
    const provider = staticProvider(['http://a:1']);
    await provider.start((s) => seen.push(s));
    await provider.stop();
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]?.routes[0]?.endpoints, ['http://a:1']);
  });
});
