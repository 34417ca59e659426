/** Steal time from /proc/stat. Run: node --test bench/steal.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busyPercent, cpuSnapshot, formatSteal, parseProcStat, stealPercent } from './steal.ts';

const BEFORE = `cpu  1862524 1951 414896 1037416 8874 0 32867 96400 0 0
cpu0 883673 0 204107 575091 2458 0 13477 49612 0 0
cpu1 978850 1951 210788 462325 6416 0 19389 46787 7 0
intr 32167201 0 0 0
ctxt 1234
`;

test('parses the per-CPU lines, skips the aggregate and the rest', () => {
  const s = parseProcStat(BEFORE);
  assert.deepEqual([...s.keys()], [0, 1]);
  assert.deepEqual(s.get(0), { steal: 49612, idle: 575091 + 2458, total: 883673 + 204107 + 575091 + 2458 + 13477 + 49612 });
  // guest (7 here) is already inside user, so it is not added again.
  assert.equal(s.get(1)?.total, 978850 + 1951 + 210788 + 462325 + 6416 + 19389 + 46787);
  assert.equal(s.get(1)?.steal, 46787);
});

test('a CPU line without a steal column is an error, not a zero', () => {
  assert.throws(() => parseProcStat('cpu0 1 2 3 4 5 6 7\n'), /cannot read CPU line "cpu0 1 2 3 4 5 6 7"/);
  assert.throws(() => parseProcStat('cpu0 1 2 3 4 5 6 x 8\n'), /cannot read CPU line/);
});

test('steal share of the chosen CPUs between two snapshots', () => {
  const before = parseProcStat(BEFORE);
  // 200 ticks on each CPU: CPU 0 lost 30 of them to steal, CPU 1 lost 2.
  const after = parseProcStat(`cpu0 883773 0 204157 575111 2458 0 13477 49642 0 0
cpu1 978950 1951 210838 462373 6416 0 19389 46789 0 0
`);
  assert.equal(stealPercent(before, after, [0]), 15);
  assert.equal(stealPercent(before, after, [1]), 1);
  assert.equal(stealPercent(before, after, [0, 1]), 8);
  assert.equal(stealPercent(before, after, null), 8, 'null means every CPU');
  assert.ok(Number.isNaN(stealPercent(before, before, [0])), 'no ticks elapsed: unknown, not 0');
  assert.ok(Number.isNaN(stealPercent(before, after, [7])), 'a CPU the machine does not have');
  // CPU 0: 100 user + 50 system of 200 ticks busy (20 idle, 30 stolen); CPU 1: 150 of 200.
  assert.equal(busyPercent(before, after, [0]), 75);
  assert.equal(busyPercent(before, after, [1]), 75);
  assert.equal(formatSteal({ serverSteal: 15, loadSteal: Number.NaN, serverBusy: 1 }), '15.0/-');
});

test('reads this machine (Linux) and its counters only grow', () => {
  const a = cpuSnapshot();
  const b = cpuSnapshot();
  assert.ok(a.size >= 1, '/proc/stat lists at least one CPU');
  for (const [cpu, ticks] of a) {
    assert.ok((b.get(cpu)?.total ?? -1) >= ticks.total);
    assert.ok((b.get(cpu)?.steal ?? -1) >= ticks.steal);
  }
});
