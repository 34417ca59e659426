/**
 * `npm run bench`: every benchmark part with bounded durations (the whole
 * run stays under five minutes on two cores), one table per part:
 *
 *   primitives   transformations and operators (bench/primitives.bench.ts)
 *   libinjection detectSqli / detectXss vs the C library (bench/libinjection.bench.ts)
 *   engine       whole CRS transactions in-process, PL1 and PL2 (bench/engine.bench.ts)
 *   proxy        direct vs picket with no rules / core / CRS PL1, --workers 1 vs 2 (bench/proxy.bench.ts)
 *   modsecurity  picket vs nginx + ModSecurity v3, same pinned server cores: closed-loop peak for
 *                GET / 2 KB JSON / form / 50 KB multipart in interleaved rounds (AB, BA, AB: 3 × 2 s
 *                per engine and workload after 1 s warm-ups; ratio judged per round), then
 *                open-loop latency at 80% of each server's median peak for GET and JSON
 *                (bench/modsecurity.bench.ts)
 *   latency      only the GET and JSON peaks and the open-loop latency table (not in the default
 *                run: modsecurity already includes it)
 *
 * `npm run bench -- engine proxy` runs only the named parts; `--quick` halves the durations;
 * `--server-cores N` gives each server in the ModSecurity comparison N processes and N CPUs (default 1);
 * `--rounds N` sets its number of interleaved rounds (default 3).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runEngineBench } from './engine.bench.ts';
import { DEFAULT_LATENCY, DEFAULT_ROUNDS, DEFAULT_STARTUP_WARMUP_MS, runModsecBench } from './modsecurity.bench.ts';
import { runProxyBench } from './proxy.bench.ts';

const PARTS = ['primitives', 'libinjection', 'engine', 'proxy', 'modsecurity', 'latency'] as const;
type Part = (typeof PARTS)[number];
/** `latency` is a subset of `modsecurity`, so the default run leaves it out. */
const DEFAULT_PARTS: readonly Part[] = ['primitives', 'libinjection', 'engine', 'proxy', 'modsecurity'];

interface RowsModule {
  formatRows(rows: readonly unknown[]): string;
  [name: string]: unknown;
}

/** Parts written by other engineers: run when the file exists, say so when not. */
async function runForeign(file: string, exported: string, seconds: number): Promise<void> {
  const path = join(import.meta.dirname, file);
  if (!existsSync(path)) {
    process.stdout.write(`== ${file}: not present, skipped\n\n`);
    return;
  }
  const mod = (await import(path)) as RowsModule;
  const run = mod[exported];
  if (typeof run !== 'function') throw new Error(`${file} does not export ${exported}()`);
  const rows = (await (run as (s: number) => Promise<unknown[]>)(seconds)) ?? [];
  process.stdout.write(`${mod.formatRows(rows)}\n\n`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      'server-cores': { type: 'string', default: '1' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
    },
  });
  const serverCores = Number(values['server-cores']);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const unknown = positionals.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown bench part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  const parts = (positionals.length > 0 ? positionals : DEFAULT_PARTS) as readonly Part[];
  const scale = values.quick ? 0.5 : 1;
  const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
  const started = performance.now();
  const failures: string[] = [];
  for (const part of parts) {
    const partStart = performance.now();
    process.stderr.write(`[bench] ${part}\n`);
    try {
      if (part === 'primitives') await runForeign('primitives.bench.ts', 'runPrimitivesBench', 0.3 * scale);
      else if (part === 'libinjection') await runForeign('libinjection.bench.ts', 'runLibinjectionBench', 1 * scale);
      else if (part === 'engine') await runEngineBench({ durationMs: 1500 * scale, maxTransactions: 100_000, log });
      else if (part === 'proxy') await runProxyBench({ durationMs: 5000 * scale, connections: 16, maxRequests: 200_000, log });
      else {
        const latency = { ...DEFAULT_LATENCY, durationMs: DEFAULT_LATENCY.durationMs * scale };
        const common = {
          roundMs: 2000 * scale, rounds, warmupMs: 1000 * scale, startupWarmupMs: DEFAULT_STARTUP_WARMUP_MS * scale,
          connections: 16, maxRequests: 200_000, serverCores, latency, log,
        };
        if (part === 'modsecurity') await runModsecBench(common);
        else await runModsecBench({ ...common, workloads: DEFAULT_LATENCY.workloads });
      }
    } catch (error) {
      // One broken part must not hide the others' tables.
      failures.push(part);
      process.stdout.write(`== ${part}: FAILED: ${(error as Error).stack ?? String(error)}\n\n`);
    }
    process.stderr.write(`[bench] ${part} took ${((performance.now() - partStart) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
