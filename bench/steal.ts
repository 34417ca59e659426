/**
 * Hypervisor steal time per CPU, from /proc/stat: on a shared VM the host
 * runs other guests on "our" CPUs, and a measuring window that lost much of
 * its CPU that way gives a lower number without anything in the server
 * being slower. The benches take a snapshot before and after each measured
 * window and print the steal share of the server CPUs and of the load CPUs
 * next to the figures, so such a window is visible to the reader. The same
 * snapshots give how busy the server CPUs were with anything at all, so a
 * bench can tell how much of them other processes on the machine took.
 *
 * /proc/stat has one line per CPU, in clock ticks since boot:
 *   cpuN user nice system idle iowait irq softirq steal guest guest_nice
 * guest and guest_nice are already counted in user and nice, so the time a
 * CPU existed is the sum of the first eight fields.
 */
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  /** Ticks the hypervisor ran something else while this CPU wanted to run (field 8). */
  readonly steal: number;
  /** Ticks with nothing to run: idle + iowait (fields 4 and 5). */
  readonly idle: number;
  /** All ticks of the CPU: user + nice + system + idle + iowait + irq + softirq + steal. */
  readonly total: number;
}

/** Per-CPU tick counters, keyed by CPU number. */
export type CpuSnapshot = ReadonlyMap<number, CpuTicks>;

/** Parses the per-CPU lines of /proc/stat (the aggregate `cpu` line and other lines are ignored). */
export function parseProcStat(text: string): CpuSnapshot {
  const out = new Map<number, CpuTicks>();
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const fields = (m[2] ?? '').trim().split(/\s+/).map(Number);
    // Kernels before 2.6.11 had no steal column: a line without eight numbers is not something to guess about.
    if (fields.length < 8 || fields.slice(0, 8).some((n) => !Number.isFinite(n))) {
      throw new Error(`/proc/stat: cannot read CPU line "${line}"`);
    }
    const first8 = fields.slice(0, 8);
    out.set(Number(m[1]), { steal: first8[7] ?? 0, idle: (first8[3] ?? 0) + (first8[4] ?? 0), total: first8.reduce((a, b) => a + b, 0) });
  }
  return out;
}

/** The current per-CPU counters, or an empty snapshot where /proc/stat cannot be read (not Linux). */
export function cpuSnapshot(): CpuSnapshot {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return new Map();
  }
}

/**
 * Steal between two snapshots as a percentage of the time of `cpus` (all
 * CPUs in the snapshot when null), or NaN when nothing was counted (no
 * /proc/stat, or a window shorter than one tick).
 */
export function stealPercent(before: CpuSnapshot, after: CpuSnapshot, cpus: readonly number[] | null): number {
  return sharePercent(before, after, cpus, (t) => t.steal);
}

/** Time `cpus` spent running anything (not idle, not stolen), as a percentage of their time; NaN as above. */
export function busyPercent(before: CpuSnapshot, after: CpuSnapshot, cpus: readonly number[] | null): number {
  return sharePercent(before, after, cpus, (t) => t.total - t.idle - t.steal);
}

function sharePercent(before: CpuSnapshot, after: CpuSnapshot, cpus: readonly number[] | null, part: (t: CpuTicks) => number): number {
  let share = 0;
  let total = 0;
  for (const cpu of cpus ?? [...after.keys()]) {
    const a = before.get(cpu);
    const b = after.get(cpu);
    if (!a || !b) continue;
    share += part(b) - part(a);
    total += b.total - a.total;
  }
  return total > 0 ? (share / total) * 100 : Number.NaN;
}

/** What the CPUs did during a window, in % of their time. */
export interface CpuShares {
  /** Steal on the server CPUs. */
  readonly serverSteal: number;
  /** Steal on the load CPUs. */
  readonly loadSteal: number;
  /** The server CPUs running anything: the server under test, and whatever else the machine put there. */
  readonly serverBusy: number;
}

/** A started window: `stop()` gives the shares since `startCpuWindow()`. */
export interface CpuWindow {
  stop(): CpuShares;
}

export const NO_SHARES: CpuShares = { serverSteal: Number.NaN, loadSteal: Number.NaN, serverBusy: Number.NaN };

export function startCpuWindow(server: readonly number[] | null, load: readonly number[] | null): CpuWindow {
  const before = cpuSnapshot();
  return {
    stop() {
      const after = cpuSnapshot();
      return {
        serverSteal: stealPercent(before, after, server),
        loadSteal: stealPercent(before, after, load),
        serverBusy: busyPercent(before, after, server),
      };
    },
  };
}

/** "0.4/1.2" (server/load steal %), "-" for a figure that could not be measured. */
export function formatSteal(shares: CpuShares): string {
  const one = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '-');
  return `${one(shares.serverSteal)}/${one(shares.loadSteal)}`;
}
