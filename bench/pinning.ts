/**
 * CPU pinning for the server comparisons (util-linux `taskset`): the server
 * under test gets the last `serverCores` CPUs this process may use, the load
 * generator (this process) and the backend get the rest, so the servers
 * compete for nothing and picket and nginx get the same cores. On a 2-core
 * machine with one server core: server on CPU 1, load + backend on CPU 0.
 *
 * Without taskset, or without a CPU left over for the load side, nothing is
 * pinned and `note` says so (it goes into the table titles).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Pinning {
  /** CPUs for the server processes, or null when running unpinned. */
  readonly server: readonly number[] | null;
  /** CPUs for the load generator and the backend, or null when unpinned. */
  readonly load: readonly number[] | null;
  /** Human-readable summary for table titles ("server on CPU 1, load + backend on CPU 0"). */
  readonly note: string;
}

const TASKSET = 'taskset';

/** Parses a CPU list as taskset prints it: "0,1", "0-3,6". */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad CPU list "${text}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let cpu = from; cpu <= to; cpu++) out.push(cpu);
  }
  return out;
}

export function cpuListText(cpus: readonly number[]): string {
  return cpus.join(',');
}

/** CPUs this process may run on (its affinity), or null without taskset. */
function allowedCpus(): number[] | null {
  try {
    const text = execFileSync(TASKSET, ['-c', '-p', String(process.pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /list:\s*([\d,\s-]+)$/m.exec(text);
    return m?.[1] ? parseCpuList(m[1]) : null;
  } catch {
    return null;
  }
}

/** Decides the split; pure apart from asking taskset for the allowed CPUs. */
export function planPinning(serverCores: number, cpus: readonly number[] | null = allowedCpus()): Pinning {
  if (!Number.isInteger(serverCores) || serverCores < 1) throw new Error(`serverCores must be a positive integer, got ${serverCores}`);
  if (cpus === null) return { server: null, load: null, note: 'UNPINNED (taskset not available)' };
  if (cpus.length <= serverCores) {
    return { server: null, load: null, note: `UNPINNED (${cpus.length} CPU${cpus.length === 1 ? '' : 's'} available, ${serverCores} for the server leaves none for the load)` };
  }
  const server = cpus.slice(cpus.length - serverCores);
  const load = cpus.slice(0, cpus.length - serverCores);
  const plural = (list: readonly number[]): string => `CPU${list.length === 1 ? '' : 's'} ${cpuListText(list)}`;
  return { server, load, note: `server pinned to ${plural(server)}, load generator + backend to ${plural(load)}` };
}

/** `command args` wrapped in taskset when `cpus` is set; taskset execs, so the pid is the command's. */
export function pinnedCommand(cpus: readonly number[] | null, command: string, args: readonly string[]): [string, string[]] {
  if (!cpus) return [command, [...args]];
  return [TASKSET, ['-c', cpuListText(cpus), command, ...args]];
}

/**
 * Pins every thread of this process to `cpus` and returns a function that
 * restores the previous affinity. A no-op when `cpus` is null.
 */
export function pinSelf(cpus: readonly number[] | null): () => void {
  if (!cpus) return () => {};
  const before = allowedCpus();
  const set = (list: readonly number[]): void => {
    execFileSync(TASKSET, ['-a', '-c', '-p', cpuListText(list), String(process.pid)], { stdio: 'ignore' });
  };
  set(cpus);
  return () => {
    if (before) set(before);
  };
}

/** The CPUs a process may run on, from /proc/<pid>/status (Cpus_allowed_list), or null if it is gone. */
export function affinityOf(pid: number): number[] | null {
  try {
    const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? parseCpuList(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Throws unless every process in `pids` is pinned to exactly `cpus`: an
 * unpinned server process would make the comparison unfair without a trace.
 */
export function assertPinned(what: string, pids: readonly number[], cpus: readonly number[] | null): void {
  if (!cpus) return;
  const want = cpuListText(cpus);
  for (const pid of pids) {
    const got = affinityOf(pid);
    if (got !== null && cpuListText(got) !== want) throw new Error(`${what}: process ${pid} may run on CPUs ${cpuListText(got)}, expected ${want}`);
  }
}
