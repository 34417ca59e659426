import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dispatcher } from 'undici';
import { Balancer, Endpoint } from './balancer.ts';

const endpoints = (...names: string[]): Endpoint[] => names.map((n) => new Endpoint(`http://${n}`, {} as Dispatcher));

describe('Balancer', () => {
  it('round-robin visits each endpoint in turn', () => {
    const list = endpoints('a', 'b', 'c');
    const balancer = new Balancer(list, { strategy: 'round-robin', ejectMs: 5000, now: () => 0 });
    const picked = Array.from({ length: 6 }, () => balancer.pick()?.origin);
    assert.deepEqual(picked, ['http://a', 'http://b', 'http://c', 'http://a', 'http://b', 'http://c']);
  });

  it('least-pending prefers the endpoint with fewest requests in flight', () => {
    const [a, b, c] = endpoints('a', 'b', 'c') as [Endpoint, Endpoint, Endpoint];
    a.pending = 3;
    b.pending = 1;
    c.pending = 2;
    const balancer = new Balancer([a, b, c], { strategy: 'least-pending', ejectMs: 5000, now: () => 0 });
    assert.equal(balancer.pick(), b);
    b.pending = 5;
    assert.equal(balancer.pick(), c);
  });

  it('skips an ejected endpoint until its ejection ends', () => {
    let now = 1000;
    const [a, b] = endpoints('a', 'b') as [Endpoint, Endpoint];
    const balancer = new Balancer([a, b], { strategy: 'round-robin', ejectMs: 5000, now: () => now });
    balancer.eject(a);
    assert.deepEqual([balancer.pick(), balancer.pick(), balancer.pick()], [b, b, b]);
    now += 5001;
    const picks = new Set([balancer.pick(), balancer.pick()]);
    assert.ok(picks.has(a), 'a is tried again after 5 s');
  });

  it('when all are ejected, tries the one that comes back first rather than none', () => {
    const [a, b] = endpoints('a', 'b') as [Endpoint, Endpoint];
    const balancer = new Balancer([a, b], { strategy: 'round-robin', ejectMs: 5000, now: () => 0 });
    a.ejectedUntil = 4000;
    b.ejectedUntil = 2000;
    assert.equal(balancer.pick(), b);
  });

  it('excludes endpoints already tried, and returns undefined when none is left', () => {
    const [a, b] = endpoints('a', 'b') as [Endpoint, Endpoint];
    const balancer = new Balancer([a, b], { strategy: 'round-robin', ejectMs: 5000, now: () => 0 });
    assert.equal(balancer.pick(new Set([a])), b);
    assert.equal(balancer.pick(new Set([a, b])), undefined);
    assert.equal(new Balancer([], { strategy: 'round-robin', ejectMs: 1, now: () => 0 }).pick(), undefined);
  });
});
