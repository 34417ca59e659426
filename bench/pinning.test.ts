/** How the ModSecurity comparison splits CPUs between server and load. Run: node --test bench/pinning.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affinityOf, assertPinned, parseCpuList, pinnedCommand, planPinning } from './pinning.ts';

test('parses taskset CPU lists', () => {
  assert.deepEqual(parseCpuList('0,1'), [0, 1]);
  assert.deepEqual(parseCpuList('0-3,6\n'), [0, 1, 2, 3, 6]);
  assert.throws(() => parseCpuList('0-x'), /bad CPU list/);
});

test('two CPUs, one server core: server on CPU 1, load + backend on CPU 0', () => {
  const p = planPinning(1, [0, 1]);
  assert.deepEqual(p.server, [1]);
  assert.deepEqual(p.load, [0]);
  assert.match(p.note, /server pinned to CPU 1, load generator \+ backend to CPU 0/);
});

test('server takes the last N CPUs, load the rest', () => {
  const p = planPinning(2, [0, 1, 2, 3]);
  assert.deepEqual(p.server, [2, 3]);
  assert.deepEqual(p.load, [0, 1]);
});

test('unpinned, and says so, without taskset or without a CPU left for the load', () => {
  assert.equal(planPinning(1, null).server, null);
  assert.match(planPinning(1, null).note, /UNPINNED \(taskset not available\)/);
  const one = planPinning(1, [0]);
  assert.equal(one.server, null);
  assert.equal(one.load, null);
  assert.match(one.note, /UNPINNED \(1 CPU available/);
  assert.match(planPinning(2, [0, 1]).note, /UNPINNED/);
  assert.throws(() => planPinning(0, [0, 1]), /positive integer/);
});

test('pinned commands go through taskset, unpinned ones run as they are', () => {
  assert.deepEqual(pinnedCommand([1], '/usr/sbin/nginx', ['-p', '/tmp']), ['taskset', ['-c', '1', '/usr/sbin/nginx', '-p', '/tmp']]);
  assert.deepEqual(pinnedCommand(null, '/usr/sbin/nginx', ['-p', '/tmp']), ['/usr/sbin/nginx', ['-p', '/tmp']]);
});

test('reads a process affinity from /proc and checks it', () => {
  const mine = affinityOf(process.pid);
  assert.ok(mine && mine.length >= 1, 'this process has an affinity list');
  assert.doesNotThrow(() => assertPinned('self', [process.pid], mine));
  assert.throws(() => assertPinned('self', [process.pid], [...mine, 4096]), /self: process \d+ may run on CPUs/);
  assert.doesNotThrow(() => assertPinned('unpinned', [process.pid], null));
});
