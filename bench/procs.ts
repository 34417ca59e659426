/**
 * Child processes for the benches: a node:http backend, picket (`bin/picket
 * run`), and CPU accounting from /proc/<pid>/stat (utime + stime of the
 * process and its descendants, so worker processes count too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { pinnedCommand } from './pinning.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const CRS_DIR = resolve(REPO_ROOT, '../shared/crs-4.28.0');
const NODE = process.execPath;
/** Clock ticks per second for /proc stat times (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

/** A port free right now on 127.0.0.1 (for children that need one on the command line). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before listening on ${port}:\n${output?.() ?? ''}`);
    const ok = await new Promise<boolean>((done) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms:\n${output?.() ?? ''}`);
}

function statOf(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may contain spaces.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds (user + system) used so far by the process tree under `root`. */
export function cpuSeconds(root: number): number {
  return cpuSecondsOf(processTree(root));
}

/**
 * CPU seconds used so far by the given processes: a few small reads, cheap
 * enough to bracket a measuring window (walking /proc for the tree is not).
 */
export function cpuSecondsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += statOf(pid)?.ticks ?? 0;
  return ticks / CLK_TCK;
}

export interface Child {
  readonly pid: number;
  readonly port: number;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): () => string {
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out;
}

/** Stops a child we started, by its pid: SIGTERM, then SIGKILL after 3 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** The bench backend (bench/backend-server.ts) in its own process, pinned to `cpus` when given. */
export async function startBackendProcess(cpus: readonly number[] | null = null): Promise<Child> {
  const port = await freePort();
  const [command, args] = pinnedCommand(cpus, NODE, [join(REPO_ROOT, 'bench/backend-server.ts'), String(port)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = track(child);
  await waitForPort(port, 10_000, child, output);
  return { pid: child.pid!, port, process: child, output, stop: () => stopChild(child) };
}

export interface PicketStart {
  /** Proxy processes (`--workers N`); 1 runs everything in one process. */
  readonly workers: number;
  /** CPUs to pin picket's processes to (primary and workers inherit it), or null. */
  readonly cpus?: readonly number[] | null;
  readonly timeoutMs?: number;
}

/** Polls an admin /readyz until it answers 200 (every worker listening with its ruleset). */
async function waitForReady(adminPort: number, timeoutMs: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`picket exited (${child.exitCode}) before it was ready:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${adminPort}/readyz`);
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`picket not ready within ${timeoutMs} ms (last /readyz: ${last}):\n${output()}`);
}

/**
 * `bin/picket run --workers N` with the given extra flags, listening on a
 * fresh port. Returns once /readyz (admin on its own loopback port) says
 * every worker is ready: connections opened earlier would all land on the
 * first worker to listen and skew a multi-worker measurement.
 */
export async function startPicket(upstream: string, flags: readonly string[], start: PicketStart): Promise<Child> {
  const port = await freePort();
  const adminPort = await freePort();
  const [command, args] = pinnedCommand(start.cpus ?? null, join(REPO_ROOT, 'bin/picket'), [
    'run',
    '--listen', `127.0.0.1:${port}`, '--admin', `127.0.0.1:${adminPort}`, '--upstream', upstream, '--log-level', 'error',
    '--workers', String(start.workers),
    ...flags,
  ]);
  const timeoutMs = start.timeoutMs ?? 120_000;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  const output = track(child);
  await waitForReady(adminPort, timeoutMs, child, output);
  await waitForPort(port, timeoutMs, child, output);
  return { pid: child.pid!, port, process: child, output, stop: () => stopChild(child) };
}
