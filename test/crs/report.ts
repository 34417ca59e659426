/**
 * Prints suite results: per rule file (passed/failed/total), the failing
 * tests with their reasons, failures by cause, the tests picket's HTTP
 * parser refused, and as the last line exactly `N passed, N failed (N total)`.
 */
import type { FailureKind } from './judge.ts';
import type { TestResult } from './suite.ts';

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly refusedByParser: readonly string[];
}

export function summarize(results: readonly TestResult[]): Summary {
  const byKind: Record<string, number> = {};
  for (const r of results) {
    if (r.passed) continue;
    // Count each test once per cause.
    for (const kind of new Set(r.failures.map((f) => f.kind))) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const passed = results.filter((r) => r.passed).length;
  return {
    passed,
    failed: results.length - passed,
    total: results.length,
    byKind,
    refusedByParser: results.filter((r) => r.refusedByParser).map((r) => r.test.id),
  };
}

function category(result: TestResult): string {
  return result.test.file.split('/')[0] ?? result.test.file;
}

/** Shows bytes readably: printable ASCII as is, the rest escaped, cut at `max`. */
export function showBytes(text: string, max = 1500): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const shown = cut.replace(/[^\x20-\x7e\n]/g, (c) =>
    c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return shown + (text.length > max ? `… (${text.length} bytes)` : '');
}

function verboseDetails(result: TestResult): string[] {
  const lines: string[] = [];
  result.stages.forEach((stage, i) => {
    lines.push(`      stage ${i + 1} request:`);
    for (const l of showBytes(stage.request.toString('latin1')).split('\n')) lines.push(`        | ${l}`);
    const head = stage.exchange.response?.raw.split('\r\n\r\n')[0] ?? `(no response: ${stage.exchange.error})`;
    lines.push(`      response: ${showBytes(head.split('\r\n')[0] ?? '', 200)}`);
    if (stage.record === null) lines.push('      audit record: none (no transaction)');
    else {
      lines.push(`      audit record ${stage.record.ids.join(',')}: ${stage.record.matchedRules.length} matched rules`);
      for (const rule of stage.record.matchedRules) {
        lines.push(`        ${rule.id} ${showBytes(rule.msg, 100)} [${showBytes(rule.matchedVar, 80)}=${showBytes(rule.matchedValue, 80)}]`);
      }
    }
  });
  return lines;
}

export function formatReport(results: readonly TestResult[], verbose: boolean): string {
  const out: string[] = [];
  const groups = new Map<string, TestResult[]>();
  for (const r of results) {
    const key = category(r);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  out.push('Per rule file (passed/failed/total):');
  const width = Math.max(...[...groups.keys()].map((k) => k.length), 10);
  for (const [name, list] of groups) {
    const passed = list.filter((r) => r.passed).length;
    out.push(`  ${name.padEnd(width)}  ${String(passed).padStart(4)} / ${String(list.length - passed).padStart(3)} / ${String(list.length).padStart(4)}`);
  }
  const failing = results.filter((r) => !r.passed);
  if (failing.length > 0) {
    out.push('', `Failing tests (${failing.length}):`);
    for (const r of failing) {
      const reasons = r.failures.map((f) => `${f.kind}: ${f.detail}`).join('; ');
      out.push(`  ${r.test.id.padEnd(12)} ${reasons}${r.overrideReason ? ' [overridden]' : ''}`);
      if (verbose) out.push(...verboseDetails(r));
    }
  }
  const summary = summarize(results);
  const kinds = Object.entries(summary.byKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    out.push('', 'Failures by cause (tests):');
    for (const [kind, count] of kinds) out.push(`  ${(kind as FailureKind).padEnd(18)} ${count}`);
  }
  if (summary.refusedByParser.length > 0) {
    const refused = results.filter((r) => r.refusedByParser);
    const stillPassing = refused.filter((r) => r.passed).length;
    out.push(
      '',
      `Refused by the HTTP front before any rule ran: ${refused.length} tests, ${stillPassing} of them pass anyway`,
      `  ${refused.map((r) => `${r.test.id}${r.passed ? '' : '!'}`).join(' ')}`,
      '  (! = failing)',
    );
  }
  const overridden = results.filter((r) => r.overrideReason !== null).length;
  if (overridden > 0) out.push('', `Overridden by the overrides file: ${overridden} tests`);
  out.push('', `${summary.passed} passed, ${summary.failed} failed (${summary.total} total)`);
  return out.join('\n');
}

/** The --json file: one entry per test. */
export function jsonResults(results: readonly TestResult[]): unknown {
  return {
    summary: summarize(results),
    tests: results.map((r) => ({
      id: r.test.id,
      file: r.test.file,
      passed: r.passed,
      failures: r.failures,
      refusedByParser: r.refusedByParser,
      override: r.overrideReason,
      ms: Math.round(r.ms),
      stages: r.stages.map((s) => ({
        status: s.exchange.response?.status ?? null,
        error: s.exchange.error,
        transactions: s.record?.ids ?? [],
        matchedIds: s.record?.matchedRules.map((m) => m.id) ?? [],
      })),
    })),
  };
}
