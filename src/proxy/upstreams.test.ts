import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dispatcher } from 'undici';
import type { Route } from '../discovery/types.ts';
import { normalizeHost, normalizeOrigin, pathOf, prefixMatches, Upstreams } from './upstreams.ts';

const quiet = { error() {}, warn() {}, info() {}, debug() {} };

function fakeDispatchers(): { closed: string[]; create: (origin: string) => Dispatcher } {
  const closed: string[] = [];
  return {
    closed,
    create: (origin) => ({ close: async () => void closed.push(origin), destroy: async () => void closed.push(origin) }) as unknown as Dispatcher,
  };
}

const route = (service: string, hosts: string[], pathPrefix: string, endpoints: string[] = [`http://${service}:80`]): Route => ({
  service, hosts, pathPrefix, endpoints, waf: {},
});

describe('route matching', () => {
  const d = fakeDispatchers();
  const table = new Upstreams({ strategy: 'round-robin', ejectMs: 5000, upstreamTimeoutMs: 1000, logger: quiet, createDispatcher: d.create });
  table.apply({
    routes: [
      route('shop', ['shop.example'], '/'),
      route('shop-api', ['shop.example'], '/api'),
      route('shop-api-v2', ['shop.example'], '/api/v2/'),
      route('wild', ['*.example'], '/'),
      route('default', [], '/'),
      route('static', [], '/static'),
    ],
  });
  const service = (host: string | undefined, target: string): string | undefined => table.match(host, target)?.route.service;

  it('matches Host without port or case, then the longest prefix on a segment boundary', () => {
    assert.equal(service('Shop.Example:8443', '/'), 'shop');
    assert.equal(service('shop.example', '/api'), 'shop-api');
    assert.equal(service('shop.example', '/api/items?x=1'), 'shop-api');
    assert.equal(service('shop.example', '/apix'), 'shop');
    assert.equal(service('shop.example', '/api/v2/x'), 'shop-api-v2');
  });

  it('falls back to wildcard hosts, then to routes without hosts', () => {
    assert.equal(service('blog.example', '/'), 'wild');
    assert.equal(service('other.test', '/static/app.js'), 'static');
    assert.equal(service('other.test', '/'), 'default');
    assert.equal(service(undefined, '/'), 'default');
  });

  it('routes absolute-form targets by their path', () => {
    assert.equal(service('shop.example', 'http://shop.example/api/x'), 'shop-api');
  });
});

describe('snapshot swap', () => {
  it('replaces the table at once, keeps pools of surviving endpoints and closes removed ones', () => {
    const d = fakeDispatchers();
    const table = new Upstreams({ strategy: 'round-robin', ejectMs: 5000, upstreamTimeoutMs: 1000, logger: quiet, createDispatcher: d.create });
    table.apply({ routes: [route('a', [], '/', ['http://10.0.0.1:80', 'http://10.0.0.2:80'])] });
    const before = table.match(undefined, '/')!.balancer.endpoints[0]!;
    table.apply({ routes: [route('a', [], '/', ['http://10.0.0.1:80', 'http://10.0.0.3:80'])] });
    const after = table.match(undefined, '/')!.balancer.endpoints;
    assert.equal(after[0], before, 'the surviving endpoint (and its pool and health) is reused');
    assert.deepEqual(table.origins.sort(), ['http://10.0.0.1', 'http://10.0.0.3']);
    assert.deepEqual(d.closed, ['http://10.0.0.2']);
    table.apply({ routes: [] });
    assert.equal(table.match(undefined, '/'), undefined);
  });

  it('rejects non-http origins', () => {
    assert.throws(() => normalizeOrigin('ftp://x'), /http/);
  });
});

describe('helpers', () => {
  it('normalizeHost', () => {
    assert.equal(normalizeHost('Example.COM:8080'), 'example.com');
    assert.equal(normalizeHost('[::1]:80'), '[::1]');
    assert.equal(normalizeHost('example.com.'), 'example.com');
  });
  it('pathOf and prefixMatches', () => {
    assert.equal(pathOf('/a/b?c'), '/a/b');
    assert.equal(pathOf('https://h/x?y'), '/x');
    assert.equal(pathOf('http://h'), '/');
    assert.equal(prefixMatches('/', '/anything'), true);
    assert.equal(prefixMatches('/a', '/ab'), false);
    assert.equal(prefixMatches('/a/', '/a/b'), true);
  });
});
