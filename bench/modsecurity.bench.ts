/**
 * picket against nginx + ModSecurity v3 (Debian's nginx and
 * libnginx-mod-http-modsecurity), same run, same backend, same CRS
 * (../shared/crs-4.28.0) at paranoia level 1, engine On, the same engine
 * defaults picket ships (rulesets/picket.conf: body access and limits,
 * response body access for text types), audit logging off in both.
 *
 * Same number of server processes: `serverCores` (default 1) gives picket
 * `--workers N` and nginx `worker_processes N`, and both servers' process
 * trees (picket: one process, or primary + N workers; nginx: master + N
 * workers) are pinned to the same N CPUs with taskset, while this process
 * (the load generator) and the backend run on the other CPU(s)
 * (bench/pinning.ts; the table titles say how it was pinned).
 *
 * Both servers receive the same stream of distinct requests
 * (bench/requests.ts, same seeds). For each workload the table gives the
 * closed-loop peak req/s, its p99, CPU s per 1,000 requests of the server
 * process tree only (/proc), how much of its cores the server actually got
 * ("core use": well below 100% × cores on a saturated run means other work
 * on the machine took CPU time from it), and the ratios. Then, for GET and 2 KB JSON,
 * an open-loop run at 80% of each server's own peak (fixed arrival rate,
 * latency from the scheduled send time) gives p50/p99/p99.9/max and
 * whether p99 stays under 5 ms (issue 3's target).
 *
 * nginx + ModSecurity is started by bench/nginx-modsecurity.ts. Without
 * nginx or the module this part is skipped with a loud message.
 *
 * Run alone: node bench/modsecurity.bench.ts [--duration 4s] [--connections 16] [--latency-only]
 */
import { parseArgs } from 'node:util';
import { formatLoad, parseDurationMs, runLoad, type LoadResult } from './load.ts';
import { formatOpenLoop, runOpenLoop, type OpenLoopResult } from './open-loop.ts';
import { nginxMissing, startNginx } from './nginx-modsecurity.ts';
import { assertPinned, pinSelf, planPinning } from './pinning.ts';
import { CRS_DIR, cpuSeconds, processTree, startBackendProcess, startPicket, type Child } from './procs.ts';
import { FORM_POST, GET_QUERY, JSON_POST, MULTIPART_50K, requestStream, type Workload } from './requests.ts';
import { loadAverage, machineLoadNote, printTable, type Cell } from './table.ts';

export interface ModsecBenchOptions {
  readonly durationMs: number;
  readonly connections: number;
  readonly maxRequests: number;
  /** Server processes and CPUs for each server (default 1). */
  readonly serverCores?: number;
  /** Closed-loop workloads (default: GET, 2 KB JSON, form POST, 50 KB multipart). */
  readonly workloads?: readonly Workload[];
  /** Open-loop latency at a fraction of each server's peak; null to skip. */
  readonly latency?: LatencyOptions | null;
  readonly log?: (line: string) => void;
}

export interface LatencyOptions {
  /** Workloads to run open-loop; each must also be among the closed-loop workloads (its peak). */
  readonly workloads: readonly Workload[];
  /** Fraction of the closed-loop peak to schedule (0.8). */
  readonly fraction: number;
  readonly durationMs: number;
  /** The p99 target in ms (5). */
  readonly p99TargetMs: number;
}

export const DEFAULT_LATENCY: LatencyOptions = { workloads: [GET_QUERY, JSON_POST], fraction: 0.8, durationMs: 5000, p99TargetMs: 5 };

/** Issue 3: picket's throughput at least 5× nginx + ModSecurity's on every workload. */
const TARGET_RATIO = 5;

const ENGINES = ['picket', 'nginx+ModSecurity'] as const;
type Engine = (typeof ENGINES)[number];

/** Seeds: both engines get the same sequence; open-loop requests differ from the closed-loop ones. */
const CLOSED_SEED = 1;
const OPEN_SEED = 2;

interface Peak {
  readonly load: LoadResult;
  readonly cpuPer1k: number;
  /**
   * Server CPU seconds per wall second over the run (1.0 = one whole core). Below the
   * server's cores on a saturated closed loop means something else took CPU time from it.
   */
  readonly coreUse: number;
}

async function measurePeak(target: Child, workload: Workload, options: ModsecBenchOptions): Promise<Peak> {
  const before = cpuSeconds(target.pid);
  const started = performance.now();
  const load = await runLoad({
    url: `http://127.0.0.1:${target.port}/`,
    requests: requestStream(workload, CLOSED_SEED),
    connections: options.connections,
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
  });
  // The CPU delta includes the (bounded) warm-up, so divide by every request the server answered.
  const cpu = cpuSeconds(target.pid) - before;
  const wallSeconds = (performance.now() - started) / 1000;
  return { load, cpuPer1k: load.requests > 0 ? (cpu / (load.requests + load.warmupRequests)) * 1000 : NaN, coreUse: cpu / wallSeconds };
}

async function measureOpen(target: Child, workload: Workload, rate: number, latency: LatencyOptions): Promise<OpenLoopResult> {
  return runOpenLoop({
    url: `http://127.0.0.1:${target.port}/`,
    requests: requestStream(workload, OPEN_SEED),
    rate,
    durationMs: latency.durationMs,
    maxRequests: Math.ceil((rate * latency.durationMs) / 1000),
    connections: 64,
  });
}

function skipBanner(missing: string): void {
  process.stdout.write(
    '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      `!!! SKIPPED: picket vs nginx + ModSecurity v3 comparison: ${missing}\n` +
      '!!! Install with: apt-get update && apt-get install -y nginx libnginx-mod-http-modsecurity\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n',
  );
}

export interface ModsecBenchResult {
  readonly throughput: Cell[][];
  readonly latency: Cell[][];
}

export async function runModsecBench(options: ModsecBenchOptions): Promise<ModsecBenchResult | null> {
  const log = options.log ?? (() => {});
  const missing = nginxMissing();
  if (missing) {
    skipBanner(missing);
    return null;
  }
  const cores = options.serverCores ?? 1;
  const workloads = options.workloads ?? [GET_QUERY, JSON_POST, FORM_POST, MULTIPART_50K];
  const latency = options.latency === undefined ? DEFAULT_LATENCY : options.latency;
  for (const w of latency?.workloads ?? []) {
    if (!workloads.includes(w)) throw new Error(`latency workload ${w.name} has no closed-loop peak: add it to workloads`);
  }
  const pinning = planPinning(cores);
  log(`pinning: ${pinning.note}`);
  const loadBefore = loadAverage();
  const peaks = new Map<string, Peak | null>();
  const opens = new Map<string, OpenLoopResult | null>();
  const floors = new Map<string, OpenLoopResult>();
  const key = (engine: Engine, w: Workload): string => `${engine}/${w.name}`;
  const unpin = pinSelf(pinning.load);
  try {
    const backend = await startBackendProcess(pinning.load);
    try {
      assertPinned('load generator and backend', [process.pid, backend.pid], pinning.load);
      const upstream = `http://127.0.0.1:${backend.port}`;
      // One server at a time, so they never compete for the server CPUs.
      for (const engine of ENGINES) {
        let target: Child;
        try {
          target = engine === 'picket'
            ? await startPicket(upstream, ['--crs', CRS_DIR, '--paranoia', '1'], { workers: cores, cpus: pinning.server })
            : await startNginx(backend.port, cores, pinning.server);
        } catch (error) {
          log(`${engine}: could not start: ${(error as Error).message.split('\n').slice(0, 8).join(' | ')}`);
          continue;
        }
        try {
          // Every server process (picket primary + workers, nginx master + workers) on the server CPUs.
          const serverPids = processTree(target.pid);
          assertPinned(engine, serverPids, pinning.server);
          log(`${engine}: ${serverPids.length} process${serverPids.length === 1 ? '' : 'es'}${pinning.server ? `, all pinned to CPU ${pinning.server.join(',')}` : ''}`);
          for (const w of workloads) {
            const peak = await measurePeak(target, w, options);
            log(`${engine} ${w.name}: ${formatLoad(peak.load)}, ${peak.cpuPer1k.toFixed(3)} CPU s/1k`);
            peaks.set(key(engine, w), peak);
          }
          for (const w of latency?.workloads ?? []) {
            const peak = peaks.get(key(engine, w));
            if (!latency || !peak || peak.load.rps <= 0) continue;
            const open = await measureOpen(target, w, peak.load.rps * latency.fraction, latency);
            log(`${engine} ${w.name}: ${formatOpenLoop(open)}`);
            opens.set(key(engine, w), open);
          }
        } finally {
          await target.stop();
        }
      }
      // The floor of the latency figures: the same generator straight to the backend at picket's
      // rate (on this setup the generator and the backend share their CPU, which shows up here).
      for (const w of latency?.workloads ?? []) {
        const open = opens.get(key('picket', w));
        if (!latency || !open) continue;
        const direct = await measureOpen(backend, w, open.targetRate, latency);
        log(`backend direct ${w.name}: ${formatOpenLoop(direct)}`);
        floors.set(w.name, direct);
      }
    } finally {
      await backend.stop();
    }
  } finally {
    unpin();
  }

  const machine = machineLoadNote(loadBefore);
  const processes = cores === 1 ? 'picket 1 process, nginx master + 1 worker' : `picket primary + ${cores} workers, nginx master + ${cores} workers`;
  const throughput: Cell[][] = workloads.map((w) => {
    const p = peaks.get(key('picket', w));
    const m = peaks.get(key('nginx+ModSecurity', w));
    return [
      w.name,
      p?.load.rps ?? NaN, p?.load.p99Ms ?? NaN, p?.cpuPer1k ?? NaN, p ? `${Math.round(p.coreUse * 100)}%` : '-',
      m?.load.rps ?? NaN, m?.load.p99Ms ?? NaN, m?.cpuPer1k ?? NaN, m ? `${Math.round(m.coreUse * 100)}%` : '-',
      p && m ? (p.load.rps / m.load.rps).toFixed(2) : '-',
      p && m ? (p.load.rps / m.load.rps >= TARGET_RATIO ? 'yes' : 'NO') : '-',
      p && m ? (p.cpuPer1k / m.cpuPer1k).toFixed(3) : '-',
      (p ? p.load.errors + p.load.non2xx : '-') + '/' + (m ? m.load.errors + m.load.non2xx : '-'),
    ];
  });
  printTable(
    `picket vs nginx + ModSecurity v3, CRS 4.28 PL1, ${cores} server core${cores === 1 ? '' : 's'} each (${processes}); ${pinning.note}; ` +
      `closed loop, ${options.connections} connections, ${options.durationMs / 1000} s each, distinct requests (same sequence for both); ${machine}`,
    ['request', 'picket req/s', 'p99 ms', 'CPU s/1k', 'core use', 'modsec req/s', 'p99 ms', 'CPU s/1k', 'core use', 'req/s ratio', `≥${TARGET_RATIO}×`, 'CPU ratio', 'errors p/m'],
    throughput,
  );
  const latencyRows: Cell[][] = [];
  if (latency) {
    for (const w of latency.workloads) {
      for (const engine of ENGINES) {
        const peak = peaks.get(key(engine, w));
        const open = opens.get(key(engine, w));
        latencyRows.push([
          w.name, engine, peak?.load.rps ?? NaN, open?.targetRate ?? NaN, open?.achievedRate ?? NaN,
          open?.p50Ms ?? NaN, open?.p99Ms ?? NaN, open?.p999Ms ?? NaN, open?.maxMs ?? NaN,
          open ? `${open.late}/${open.scheduled}` : '-', open?.sendLagP99Ms ?? NaN,
          open ? open.errors + open.non2xx : '-',
          open ? (open.p99Ms < latency.p99TargetMs && open.errors === 0 ? 'yes' : 'NO') : '-',
        ]);
      }
      const floor = floors.get(w.name);
      if (floor) {
        latencyRows.push([
          w.name, 'backend direct (floor)', NaN, floor.targetRate, floor.achievedRate, floor.p50Ms, floor.p99Ms, floor.p999Ms, floor.maxMs,
          `${floor.late}/${floor.scheduled}`, floor.sendLagP99Ms, floor.errors + floor.non2xx,
          floor.p99Ms < latency.p99TargetMs && floor.errors === 0 ? 'yes' : 'NO',
        ]);
      }
    }
    printTable(
      `open-loop latency at ${Math.round(latency.fraction * 100)}% of each server's own closed-loop peak, ${latency.durationMs / 1000} s each, ` +
        `latency from the scheduled send time (no coordinated omission; it includes the generator's own send lag, shown); ${pinning.note}; ${machine}`,
      ['request', 'server', 'peak req/s', 'target req/s', 'achieved', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'late', 'send lag p99', 'errors', `p99<${latency.p99TargetMs}ms`],
      latencyRows,
    );
  }
  return { throughput, latency: latencyRows };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '4s' },
      connections: { type: 'string', default: '16' },
      max: { type: 'string', default: '200000' },
      cores: { type: 'string', default: '1' },
      'latency-only': { type: 'boolean', default: false },
    },
  });
  const latencyOnly = values['latency-only'];
  await runModsecBench({
    durationMs: parseDurationMs(values.duration),
    connections: Number(values.connections),
    maxRequests: Number(values.max),
    serverCores: Number(values.cores),
    ...(latencyOnly ? { workloads: DEFAULT_LATENCY.workloads } : {}),
    log: (line) => process.stderr.write(line + '\n'),
  });
}
