/**
 * Proxy overhead: the same node:http backend measured directly, then
 * through picket (`bin/picket run`, a child process, inline mode) with no
 * rules, the picket core ruleset, and CRS at paranoia level 1, each with
 * `--workers 1` (one process), then CRS PL1 with `--workers 2` (primary +
 * two workers) to measure the multi-worker gain. Reports req/s, p50, p99,
 * throughput relative to direct, and picket's CPU seconds per 1,000
 * requests (utime + stime deltas of its process tree).
 *
 * Nothing is pinned here: load generator, backend and picket share every
 * CPU (the fair, pinned comparison is bench/modsecurity.bench.ts). Requests
 * are a stream of distinct GETs (bench/requests.ts), the same sequence for
 * every target.
 *
 * Run alone: node bench/proxy.bench.ts [--duration 4s] [--connections 16]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoad, runLoad, standaloneLoadArgs, type LoadResult } from './load.ts';
import { CRS_DIR, cpuSeconds, startBackendProcess, startPicket } from './procs.ts';
import { GET_QUERY, requestStream, type Workload } from './requests.ts';
import { loadAverage, machineLoadNote, printTable, type Cell } from './table.ts';

export interface ProxyBenchOptions {
  readonly durationMs: number;
  readonly connections: number;
  readonly maxRequests: number;
  readonly workload?: Workload;
  readonly log?: (line: string) => void;
}

interface Variant {
  readonly name: string;
  readonly flags: readonly string[];
  readonly workers: number;
}

function variants(dir: string): Variant[] {
  const empty = join(dir, 'empty.conf');
  writeFileSync(empty, '# no rules: measures the proxy and an engine pass with nothing to evaluate\n');
  return [
    { name: 'picket, no rules, 1 process', flags: ['--rules', empty], workers: 1 },
    // No --crs and no --rules: picket's default, the core ruleset with its settings.
    { name: 'picket, picket-core, 1 process', flags: [], workers: 1 },
    { name: 'picket, CRS PL1, 1 process', flags: ['--crs', CRS_DIR, '--paranoia', '1'], workers: 1 },
    { name: 'picket, CRS PL1, --workers 2', flags: ['--crs', CRS_DIR, '--paranoia', '1'], workers: 2 },
  ];
}

export async function runProxyBench(options: ProxyBenchOptions): Promise<Cell[][]> {
  const workload = options.workload ?? GET_QUERY;
  const log = options.log ?? (() => {});
  const loadBefore = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'picket-bench-'));
  const backend = await startBackendProcess();
  const rows: Cell[][] = [];
  const load = (port: number): Promise<LoadResult> =>
    runLoad({
      url: `http://127.0.0.1:${port}/`,
      requests: requestStream(workload, 1),
      connections: options.connections,
      durationMs: options.durationMs,
      maxRequests: options.maxRequests,
    });
  try {
    const direct = await load(backend.port);
    log(`direct: ${formatLoad(direct)}`);
    rows.push(['backend direct', direct.rps, direct.p50Ms, direct.p99Ms, '1.00', '-', direct.errors + direct.non2xx]);
    for (const variant of variants(dir)) {
      let picket;
      try {
        picket = await startPicket(`http://127.0.0.1:${backend.port}`, variant.flags, { workers: variant.workers });
      } catch (error) {
        log(`${variant.name}: could not start: ${(error as Error).message.split('\n').slice(0, 6).join(' | ')}`);
        rows.push([variant.name, NaN, NaN, NaN, 'failed to start', '-', '-']);
        continue;
      }
      try {
        const cpuBefore = cpuSeconds(picket.pid);
        const result = await load(picket.port);
        const cpu = cpuSeconds(picket.pid) - cpuBefore;
        log(`${variant.name}: ${formatLoad(result)}, cpu ${cpu.toFixed(2)} s`);
        rows.push([
          variant.name, result.rps, result.p50Ms, result.p99Ms,
          (result.rps / direct.rps).toFixed(2),
          result.requests > 0 ? (cpu / (result.requests + result.warmupRequests)) * 1000 : NaN,
          result.errors + result.non2xx,
        ]);
      } finally {
        await picket.stop();
      }
    }
  } finally {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    `proxy: ${workload.name} (distinct requests), ${options.connections} connections, ${options.durationMs / 1000} s each, inline mode; ` +
      `UNPINNED: load generator, backend and picket share all ${availableParallelism()} CPUs; ${machineLoadNote(loadBefore)}`,
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'vs direct', 'CPU s/1k req', 'errors'],
    rows,
  );
  return rows;
}

if (import.meta.main) {
  await runProxyBench(standaloneLoadArgs());
}
