/**
 * Runs go-ftw tests against a target, a few at a time, and returns one
 * result per test. A test passes when every stage passes (go-ftw counts
 * tests, not stages). Stages run in order on fresh connections.
 */
import type { FtwTest } from './ftw-types.ts';
import { judgeStage, type Failure, type TransactionRecord } from './judge.ts';
import type { OverriddenTest } from './overrides.ts';
import { buildRequest } from './request.ts';
import type { Exchange } from './send.ts';

export interface StageRun {
  readonly request: Buffer;
  readonly exchange: Exchange;
  readonly record: TransactionRecord | null;
  readonly logLines: readonly string[];
  readonly failures: readonly Failure[];
}

export interface TestResult {
  readonly test: FtwTest;
  readonly passed: boolean;
  readonly failures: readonly Failure[];
  /** Some stage never became a transaction: picket's HTTP parser answered it. */
  readonly refusedByParser: boolean;
  readonly overrideReason: string | null;
  /** Run again alone after the main pass, because it timed out or lost its connection there. */
  readonly rerun: boolean;
  readonly stages: readonly StageRun[];
  readonly ms: number;
}

/** What one stage produced: the exchange, the WAF's record of it, and its error-log lines. */
export interface Observed {
  readonly exchange: Exchange;
  readonly record: TransactionRecord | null;
  readonly logLines: readonly string[];
}

/** Where tests go: picket (target.ts) or nginx + ModSecurity (target-modsecurity.ts). */
export interface Target {
  /** Sends one stage's bytes and observes the result. `uri` is for log lines. */
  observe(request: Buffer, timeoutMs: number, uri: string): Promise<Observed>;
  /** Checks the WAF still answers; restarts it if not. Resolves true if it restarted. */
  recover(): Promise<boolean>;
  /** Stages must run one at a time (a shared log read between markers). */
  readonly sequential: boolean;
}

export interface SuiteOptions {
  readonly target: Target;
  /** Tests in flight at once. */
  readonly concurrency: number;
  /** Per-stage limit for the whole exchange. */
  readonly timeoutMs: number;
  readonly onResult?: (result: TestResult) => void;
}

async function runStage(test: FtwTest, index: number, options: SuiteOptions): Promise<StageRun> {
  const stage = test.stages[index]!;
  const request = buildRequest(stage.input);
  const uri = stage.input.encodedRequest ? '' : stage.input.uri;
  const { exchange, record, logLines } = await options.target.observe(request, options.timeoutMs, uri);
  const failures = judgeStage(stage.output, exchange, record, logLines);
  return { request, exchange, record, logLines, failures };
}

async function runTest(entry: OverriddenTest, options: SuiteOptions, rerun = false): Promise<TestResult> {
  const started = performance.now();
  const stages: StageRun[] = [];
  for (let i = 0; i < entry.test.stages.length; i++) {
    let run = await runStage(entry.test, i, options);
    // go-ftw repeats a failing stage once when asked (phase-5 log races in its setup).
    if (run.failures.length > 0 && entry.test.stages[i]!.output.retryOnce) run = await runStage(entry.test, i, options);
    stages.push(run);
    // A stalled picket takes every test in flight with it: check it, restart it if it hangs.
    if (run.exchange.timedOut) await options.target.recover();
  }
  const failures = stages.flatMap((s) => s.failures);
  return {
    test: entry.test,
    passed: failures.length === 0,
    failures,
    refusedByParser: stages.some((s) => s.exchange.response !== null && (s.record === null || s.record.refused)),
    overrideReason: entry.override?.reason ?? null,
    rerun,
    stages,
    ms: performance.now() - started,
  };
}

function hitByStall(result: TestResult): boolean {
  return result.failures.some((f) => f.kind === 'timeout' || f.kind === 'unexpected error');
}

/**
 * Runs every test with bounded concurrency; results come back in suite
 * order. Tests that timed out or lost their connection (a stall elsewhere
 * can cause both) run again one at a time, and that run is their result.
 */
export async function runSuite(tests: readonly OverriddenTest[], options: SuiteOptions): Promise<TestResult[]> {
  const results: TestResult[] = new Array(tests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tests.length) {
      const index = next++;
      const result = await runTest(tests[index]!, options);
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.target.sequential ? 1 : Math.max(1, options.concurrency) }, worker));
  for (let i = 0; i < results.length; i++) {
    if (!hitByStall(results[i]!)) continue;
    results[i] = await runTest(tests[i]!, options, true);
  }
  return results;
}
