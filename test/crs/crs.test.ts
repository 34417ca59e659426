/**
 * The CRS regression suite as part of `npm test`: runs every test and fails
 * when fewer pass than test/crs/baseline.json records. Raise the baseline
 * when the engine gets better (never lower it to make a regression pass).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatReport } from './report.ts';
import { runCrs } from './run.ts';

interface Baseline {
  readonly passed: number;
  readonly total: number;
}

const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8')) as Baseline;

test(`CRS regression suite: at least ${baseline.passed} of ${baseline.total} tests pass`, { timeout: 10 * 60_000 }, async (t) => {
  const run = await runCrs({ log: (line) => t.diagnostic(line) });
  const report = formatReport(run.results, false).split('\n');
  // The summary only: per-file table, causes and the last line; the failing list is `npm run test:crs`'s.
  const start = report.indexOf('Failures by cause (tests):');
  const shown = report.filter((_, i) => i < report.indexOf('') || (start !== -1 && i >= start));
  for (const line of shown) t.diagnostic(line);
  if (start === -1) t.diagnostic(report.at(-1) ?? '');
  assert.equal(run.summary.total, baseline.total, 'the suite changed size: update test/crs/baseline.json');
  assert.ok(
    run.summary.passed >= baseline.passed,
    `CRS regression: ${run.summary.passed} passed, baseline ${baseline.passed} (run npm run test:crs for the failures)`,
  );
});
