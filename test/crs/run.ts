/**
 * CRS regression runner: `npm run test:crs -- [options]`.
 *
 * Sends each go-ftw test of ../shared/crs-4.28.0/tests/regression-tests as
 * raw bytes to picket (in-process, detect mode, CRS as the CRS test
 * container configures ModSecurity) in front of an albedo-compatible
 * backend, and judges it from the response and picket's transaction record.
 *
 * Options:
 *   --rule <ids>      only these rule ids (comma-separated; a prefix like 920 matches 920xxx)
 *   --file <text>     only test files whose path contains text (e.g. REQUEST-942)
 *   --test <ids>      only these tests (e.g. 920100-4,942100-1)
 *   --verbose         print the request and the audit record of each failing test
 *   --json <path>     write per-test results as JSON
 *   --concurrency <n> tests in flight (default 8)
 *   --timeout <ms>    per-stage timeout (default 10000)
 *   --crs <dir>       CRS directory (default ../shared/crs-4.28.0)
 *   --no-overrides    ignore test/crs/overrides.yaml
 *   --overrides <f>   use another overrides file (e.g. CRS's tests/nginx-overrides.yaml with --target modsecurity)
 *   --target <name>   picket (default) or modsecurity: nginx + ModSecurity v3 with the same setup,
 *                     judged by go-ftw's marker technique (checks the runner; sequential, slow)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSuite } from './load.ts';
import { applyOverrides, loadOverrides } from './overrides.ts';
import { formatReport, jsonResults, summarize, type Summary } from './report.ts';
import { runSuite, type TestResult } from './suite.ts';
import { DEFAULT_CRS_DIR, startSuiteTarget } from './target.ts';
import { startModsecTarget } from './target-modsecurity.ts';
import type { FtwTest } from './ftw-types.ts';

export interface CrsRunOptions {
  readonly crsDir?: string;
  readonly rules?: readonly string[];
  readonly files?: readonly string[];
  readonly tests?: readonly string[];
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly overrides?: boolean;
  /** Overrides file instead of test/crs/overrides.yaml. */
  readonly overridesFile?: string;
  readonly target?: 'picket' | 'modsecurity';
  readonly log?: (line: string) => void;
}

export interface CrsRun {
  readonly results: TestResult[];
  readonly summary: Summary;
  readonly ruleCount: number;
  readonly loadMs: number;
  /** How often picket stalled (busy past the timeout) and was replaced. */
  readonly restarts: number;
  readonly wallMs: number;
}

export const OVERRIDES_FILE = join(import.meta.dirname, 'overrides.yaml');

function selected(test: FtwTest, options: CrsRunOptions): boolean {
  if (options.tests?.length && !options.tests.includes(test.id)) return false;
  if (options.rules?.length && !options.rules.some((r) => String(test.ruleId).startsWith(r))) return false;
  if (options.files?.length && !options.files.some((f) => test.file.includes(f))) return false;
  return true;
}

/** Loads, filters, runs; never prints the report itself. */
export async function runCrs(options: CrsRunOptions = {}): Promise<CrsRun> {
  const crsDir = options.crsDir ?? DEFAULT_CRS_DIR;
  const tests = loadSuite(join(crsDir, 'tests/regression-tests')).filter((t) => selected(t, options));
  const overrides = options.overrides === false ? [] : loadOverrides(options.overridesFile ?? OVERRIDES_FILE);
  const started = performance.now();
  const target = options.target === 'modsecurity' ? await startModsecTarget(crsDir) : await startSuiteTarget(crsDir);
  options.log?.(`${options.target ?? 'picket'}: ${target.ruleCount} rules loaded in ${Math.round(target.loadMs)} ms; ${tests.length} tests`);
  try {
    let done = 0;
    const results = await runSuite(applyOverrides(tests, overrides), {
      target,
      concurrency: options.concurrency ?? 8,
      timeoutMs: options.timeoutMs ?? 10_000,
      onResult: () => {
        done++;
        if (done % 500 === 0) options.log?.(`  … ${done}/${tests.length}`);
      },
    });
    if (target.engineErrors.length > 0) {
      options.log?.(`engine errors during the run: ${target.engineErrors.length} (first: ${target.engineErrors[0]?.split('\n')[0]})`);
    }
    if (target.restarts > 0) options.log?.(`picket stalled and was restarted ${target.restarts} times`);
    return {
      results,
      summary: summarize(results),
      ruleCount: target.ruleCount,
      loadMs: target.loadMs,
      restarts: target.restarts,
      wallMs: performance.now() - started,
    };
  } finally {
    await target.close();
  }
}

function list(value: string | undefined): string[] | undefined {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rule: { type: 'string' },
      file: { type: 'string' },
      test: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      json: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      crs: { type: 'string' },
      'no-overrides': { type: 'boolean', default: false },
      target: { type: 'string', default: 'picket' },
      overrides: { type: 'string' },
    },
  });
  const log = (line: string): void => void process.stderr.write(line + '\n');
  if (values.target !== 'picket' && values.target !== 'modsecurity') throw new Error(`--target: picket or modsecurity, not ${values.target}`);
  const run = await runCrs({
    ...(values.crs ? { crsDir: values.crs } : {}),
    ...(list(values.rule) ? { rules: list(values.rule)! } : {}),
    ...(list(values.file) ? { files: list(values.file)! } : {}),
    ...(list(values.test) ? { tests: list(values.test)! } : {}),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
    overrides: !values['no-overrides'],
    ...(values.overrides ? { overridesFile: values.overrides } : {}),
    target: values.target === 'modsecurity' ? 'modsecurity' : 'picket',
    log,
  });
  if (values.json) writeFileSync(values.json, JSON.stringify(jsonResults(run.results), null, 2));
  log(`suite ran in ${(run.wallMs / 1000).toFixed(1)} s`);
  process.stdout.write(formatReport(run.results, values.verbose ?? false) + '\n');
  process.exitCode = run.summary.failed > 0 ? 1 : 0;
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`test:crs: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
