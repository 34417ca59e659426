/**
 * Runs go-ftw tests against a target, a few at a time, and returns one
 * result per test. A test passes when every stage passes (go-ftw counts
 * tests, not stages). Stages run in order on fresh connections.
 */
import type { MatchedRule } from '../../src/engine/api.ts';
import type { FtwTest } from './ftw-types.ts';
import { errorLogLine, judgeStage, type Failure, type TransactionRecord } from './judge.ts';
import type { OverriddenTest } from './overrides.ts';
import type { ReportCollector } from './collector.ts';
import { buildRequest } from './request.ts';
import { sendRaw, type Exchange } from './send.ts';

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
  readonly stages: readonly StageRun[];
  readonly ms: number;
}

export interface SuiteOptions {
  readonly host: string;
  readonly port: number;
  readonly collector: ReportCollector;
  /** Tests in flight at once. */
  readonly concurrency: number;
  /** Per-stage limit for the whole exchange. */
  readonly timeoutMs: number;
  /** How long to wait for a transaction report after the response (a parser refusal never sends one). */
  readonly reportGraceMs: number;
  readonly onResult?: (result: TestResult) => void;
}

function recordOf(reports: readonly { id: string; matchedRules: readonly MatchedRule[]; status?: number }[]): TransactionRecord | null {
  if (reports.length === 0) return null;
  const status = reports[0]?.status;
  return {
    ids: reports.map((r) => r.id),
    matchedRules: reports.flatMap((r) => r.matchedRules),
    ...(status === undefined ? {} : { status }),
  };
}

async function runStage(test: FtwTest, index: number, options: SuiteOptions): Promise<StageRun> {
  const stage = test.stages[index]!;
  const request = buildRequest(stage.input);
  const exchange = await sendRaw(options.host, options.port, request, options.timeoutMs, (port) =>
    options.collector.expect(port),
  );
  const reports = exchange.localPort ? await options.collector.collect(exchange.localPort, options.reportGraceMs) : [];
  const record = recordOf(reports);
  const uri = stage.input.encodedRequest ? '' : stage.input.uri;
  const logLines = (record?.matchedRules ?? []).map((rule) => errorLogLine(rule, uri, record?.ids[0] ?? ''));
  const failures = judgeStage(stage.output, exchange, record, logLines);
  return { request, exchange, record, logLines, failures };
}

async function runTest(entry: OverriddenTest, options: SuiteOptions): Promise<TestResult> {
  const started = performance.now();
  const stages: StageRun[] = [];
  for (let i = 0; i < entry.test.stages.length; i++) {
    let run = await runStage(entry.test, i, options);
    // go-ftw repeats a failing stage once when asked (phase-5 log races in its setup).
    if (run.failures.length > 0 && entry.test.stages[i]!.output.retryOnce) run = await runStage(entry.test, i, options);
    stages.push(run);
  }
  const failures = stages.flatMap((s) => s.failures);
  return {
    test: entry.test,
    passed: failures.length === 0,
    failures,
    refusedByParser: stages.some((s) => s.record === null && s.exchange.response !== null),
    overrideReason: entry.override?.reason ?? null,
    stages,
    ms: performance.now() - started,
  };
}

/** Runs every test with bounded concurrency; results come back in suite order. */
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
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return results;
}
