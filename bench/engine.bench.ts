/**
 * Engine throughput in-process (no HTTP): whole transactions, phases 1-5,
 * per second, for CRS at paranoia levels 1 and 2 (the rules `picket run
 * --crs DIR --paranoia N` assembles), against a baseline measured in the
 * same run: the same transactions with picket.conf alone (no CRS rules).
 * Also the CRS load (compile) time. Like coraza's BenchmarkCRS*.
 *
 * Transactions are distinct, as in the HTTP benches (bench/requests.ts):
 * each workload is precomputed into a ring of distinct requests (building
 * them must not be timed), 8,000 per workload and 1,000 for the 50 KB upload
 * (memory: 50 MB). A measurement that runs past its ring starts repeating requests,
 * which the engine's cross-transaction caches would flatter; the log says so
 * when that happens.
 *
 * Run alone: node bench/engine.bench.ts [--duration 1.5s]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assembleRuleset } from '../src/config/ruleset.ts';
import type { RulesConfig } from '../src/config/types.ts';
import type { RuleSource, Waf } from '../src/engine/api.ts';
import { createWaf } from '../src/engine/index.ts';
import { parseDurationMs } from './load.ts';
import { CRS_DIR } from './procs.ts';
import { FORM_POST, GET_QUERY, JSON_POST, MULTIPART_50K, SQLI, XSS, requestStream, type BenchRequest, type Workload } from './requests.ts';
import { printTable, type Cell } from './table.ts';

export interface EngineBenchOptions {
  readonly durationMs: number;
  readonly maxTransactions: number;
  readonly log?: (line: string) => void;
}

const RESPONSE_BODY = Buffer.from('{"ok":true,"items":[1,2,3],"message":"order accepted"}');

function sources(crs: boolean, paranoiaLevel: number): RuleSource[] {
  const rules: RulesConfig = crs
    ? { files: [], crsDir: CRS_DIR, paranoiaLevel, inboundAnomalyThreshold: 5, outboundAnomalyThreshold: 4 }
    : {
        files: [writeEmpty()],
        paranoiaLevel,
        inboundAnomalyThreshold: 5,
        outboundAnomalyThreshold: 4,
      };
  return assembleRuleset({
    mode: 'inline',
    rules,
    limits: { requestBody: 13_107_200, requestBodyNoFiles: 131_072, requestBodyAction: 'Reject', responseBody: 524_288 },
  });
}

let emptyFile: string | undefined;
function writeEmpty(): string {
  if (!emptyFile) {
    emptyFile = join(mkdtempSync(join(tmpdir(), 'picket-engine-bench-')), 'empty.conf');
    writeFileSync(emptyFile, '# baseline: picket.conf only\n');
  }
  return emptyFile;
}

/** One whole transaction, fed as the proxy feeds it (src/proxy/tx-adapter.ts). */
function transaction(waf: Waf, request: BenchRequest, n: number): void {
  const tx = waf.newTransaction(`bench-${n}`);
  tx.processConnection('192.0.2.10', 40000 + (n % 20000), '127.0.0.1', 8080);
  tx.processUri(request.path, request.method, 'HTTP/1.1');
  for (const [name, value] of Object.entries(request.headers)) tx.addRequestHeader(name, value);
  let stop = tx.processRequestHeaders();
  if (!stop) {
    if (request.body && tx.requestBodyAccess) stop = tx.appendRequestBody(request.body);
    stop ??= tx.processRequestBody();
  }
  if (!stop) {
    tx.addResponseHeader('Content-Type', 'application/json');
    tx.addResponseHeader('Content-Length', String(RESPONSE_BODY.length));
    stop = tx.processResponseHeaders(200, 'HTTP/1.1');
    if (!stop && tx.responseBodyAccess) stop = tx.appendResponseBody(RESPONSE_BODY);
    if (!stop) tx.processResponseBody();
  }
  tx.processLogging();
}

const WARMUP = 50;

/** `count` distinct requests of a workload, built before any timing. */
function ring(workload: Workload, count: number): BenchRequest[] {
  const next = requestStream(workload, 1);
  return Array.from({ length: count }, next);
}

interface Rate {
  readonly perSecond: number;
  /** Transactions run, warm-up included: more than the ring means requests repeated. */
  readonly used: number;
}

/** Transactions per second over the ring, bounded by time and count, after a short warm-up. */
function measure(waf: Waf, requests: readonly BenchRequest[], options: EngineBenchOptions): Rate {
  for (let i = 0; i < WARMUP; i++) transaction(waf, requests[i % requests.length]!, i);
  const started = performance.now();
  const deadline = started + options.durationMs;
  let n = 0;
  while (n < options.maxTransactions && performance.now() < deadline) {
    transaction(waf, requests[(WARMUP + n) % requests.length]!, n);
    n++;
  }
  return { perSecond: (n / (performance.now() - started)) * 1000, used: WARMUP + n };
}

export async function runEngineBench(options: EngineBenchOptions): Promise<Cell[][]> {
  const log = options.log ?? (() => {});
  const baseline = createWaf(sources(false, 1));
  let t0 = performance.now();
  const pl1 = createWaf(sources(true, 1));
  const loadMs = performance.now() - t0;
  log(`CRS PL1 loaded in ${loadMs.toFixed(0)} ms (${pl1.ruleCount} rules)`);
  t0 = performance.now();
  const pl2 = createWaf(sources(true, 2));
  log(`CRS PL2 loaded in ${(performance.now() - t0).toFixed(0)} ms`);
  const rows: Cell[][] = [];
  for (const workload of [GET_QUERY, JSON_POST, FORM_POST, MULTIPART_50K, SQLI, XSS]) {
    const requests = ring(workload, workload === MULTIPART_50K ? 1000 : 8000);
    const base = measure(baseline, requests, options).perSecond;
    const one = measure(pl1, requests, options);
    const two = measure(pl2, requests, options);
    log(`${workload.name}: baseline ${base.toFixed(0)} tx/s, PL1 ${one.perSecond.toFixed(0)}, PL2 ${two.perSecond.toFixed(0)}`);
    for (const [level, rate] of [['PL1', one], ['PL2', two]] as const) {
      if (rate.used > requests.length) {
        log(`  note: ${workload.name} ${level} ran ${rate.used} transactions over a ring of ${requests.length} distinct requests (repeats flatter caches)`);
      }
    }
    rows.push([
      workload.name, base, one.perSecond, 1e6 / one.perSecond, (one.perSecond / base).toFixed(3),
      two.perSecond, 1e6 / two.perSecond, (two.perSecond / base).toFixed(3), `${Math.min(one.used, requests.length)}/${one.used}`,
    ]);
  }
  printTable(
    `engine: whole transactions in-process (phases 1-5), ${options.durationMs / 1000} s each, distinct requests; CRS PL1 load ${loadMs.toFixed(0)} ms, ${pl1.ruleCount} rules`,
    ['request', 'baseline tx/s', 'PL1 tx/s', 'PL1 µs/tx', 'PL1/base', 'PL2 tx/s', 'PL2 µs/tx', 'PL2/base', 'PL1 distinct/tx'],
    rows,
  );
  return rows;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '1.5s' }, max: { type: 'string', default: '100000' } },
  });
  await runEngineBench({
    durationMs: parseDurationMs(values.duration),
    maxTransactions: Number(values.max),
    log: (line) => process.stderr.write(line + '\n'),
  });
}
