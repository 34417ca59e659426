import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observer } from '../observability/types.ts';
import { MirrorQueue } from './mirror-queue.ts';
import { stripShadow } from './mirror.ts';

function observer(): Observer & { drops: number; depths: number[] } {
  return {
    drops: 0,
    depths: [],
    transactionEnd() {},
    upstreamError() {},
    engineError() {},
    mirrorDropped() {
      this.drops++;
    },
    mirrorQueueDepth(depth: number) {
      this.depths.push(depth);
    },
  };
}
const quiet = { error() {}, warn() {}, info() {}, debug() {} };

describe('MirrorQueue', () => {
  it('reserves up to capacity, then drops and counts', () => {
    const obs = observer();
    const queue = new MirrorQueue(2, obs, quiet);
    assert.equal(queue.reserve(), true);
    assert.equal(queue.reserve(), true);
    assert.equal(queue.reserve(), false);
    assert.equal(obs.drops, 1);
    assert.equal(queue.depth, 2);
    queue.release();
    assert.equal(queue.depth, 1);
    assert.deepEqual(obs.depths, [1, 2, 1]);
  });

  it('runs jobs in order, one per turn, and frees their slots; a failing job is contained', async () => {
    const queue = new MirrorQueue(3, observer(), quiet);
    const ran: number[] = [];
    for (const n of [1, 2, 3]) {
      assert.ok(queue.reserve());
      queue.submit(() => {
        ran.push(n);
        if (n === 2) throw new Error('job failed');
      });
    }
    assert.deepEqual(ran, [], 'nothing runs synchronously');
    await queue.drain(5000);
    assert.deepEqual(ran, [1, 2, 3]);
    assert.equal(queue.depth, 0);
  });
});

describe('stripShadow', () => {
  it('removes Envoy’s suffix before or without a port', () => {
    assert.equal(stripShadow('app.example-shadow'), 'app.example');
    assert.equal(stripShadow('app.example-shadow:8080'), 'app.example:8080');
    assert.equal(stripShadow('shadow.example'), 'shadow.example');
  });
});
