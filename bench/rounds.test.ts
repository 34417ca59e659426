/** Interleaved-round helpers. Run: node --test bench/rounds.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRatio, median, medianRound, ratioSummary, roundOrder } from './rounds.ts';

test('rounds alternate which engine goes first: AB, BA, AB, BA', () => {
  const orders = [0, 1, 2, 3].map((r) => roundOrder(r, ['A', 'B']).join(''));
  assert.deepEqual(orders, ['AB', 'BA', 'AB', 'BA']);
});

test('median of odd and even counts; NaN for none', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('the median round carries its own other figures; lower middle for an even count', () => {
  const rounds = [{ rps: 900, cpu: 1 }, { rps: 700, cpu: 3 }, { rps: 800, cpu: 2 }];
  assert.deepEqual(medianRound(rounds, (r) => r.rps), { rps: 800, cpu: 2 });
  assert.deepEqual(medianRound(rounds.slice(0, 2), (r) => r.rps), { rps: 700, cpu: 3 });
  assert.equal(medianRound([], (r: { rps: number }) => r.rps), undefined);
});

test('ratios are per round: median and range, missing rounds left out', () => {
  // Round 2 was slow for both engines: its ratio is still 5, which a ratio of medians would not show.
  const s = ratioSummary([1000, 600, 1100], [200, 120, 180]);
  assert.ok(s);
  assert.equal(s.median, 5);
  assert.equal(s.min, 5);
  assert.ok(Math.abs(s.max - 1100 / 180) < 1e-12);
  assert.equal(formatRatio(s), '5.00 (5.00–6.11)');
  assert.deepEqual(ratioSummary([10, Number.NaN], [2, 1]), { median: 5, min: 5, max: 5 });
  assert.equal(formatRatio({ median: 5, min: 5, max: 5 }), '5.00');
  assert.equal(ratioSummary([1], [0]), null);
});
