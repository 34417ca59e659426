/**
 * Decides one stage's outcome as go-ftw's checkResult does, from the
 * response and picket's record of that transaction:
 *
 * 1. expect_error: the stage passes exactly when the request failed at the
 *    HTTP level; nothing else is checked. An unexpected error fails.
 * 2. status (when given), then response_contains, then the log: match_regex
 *    and expect_ids must all be found, no_match_regex and no_expect_ids must
 *    not, isolated allows one rule id only.
 *
 * "The log" is what ModSecurity writes to its error log for the transaction:
 * one line per matched rule that logs, rendered by `errorLogLine` in the
 * ModSecurity format go-ftw's regexes are written against.
 */
import type { MatchedRule } from '../../src/engine/api.ts';
import type { StageOutput } from './ftw-types.ts';
import type { Exchange } from './send.ts';

export type FailureKind =
  | 'missing ids'
  | 'unexpected ids'
  | 'wrong status'
  | 'log regex'
  | 'response regex'
  | 'expected error'
  | 'unexpected error'
  | 'parser refusal'
  | 'timeout';

export interface Failure {
  readonly kind: FailureKind;
  readonly detail: string;
}

/** What the WAF recorded about the transaction(s) on the test's connection. */
export interface TransactionRecord {
  readonly ids: readonly string[];
  /** Rule ids in the transaction's log (what go-ftw greps from the error log). */
  readonly ruleIds: readonly number[];
  /** The matched rules themselves, when the target reports them (picket; not nginx's log). */
  readonly matchedRules: readonly MatchedRule[];
  readonly status?: number;
  /** Picket's HTTP front refused the request before the engine saw it (verdict 'rejected'). */
  readonly refused: boolean;
}

const SEVERITY = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/**
 * ModSecurity's log escaping: quotes and backslashes get a backslash, bytes
 * outside printable ASCII become \xHH, so each match stays one log line.
 */
function logEscape(value: string): string {
  return value.replace(/[\\"]|[^\x20-\x7e]/g, (c) =>
    c === '"' || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function field(name: string, value: string): string {
  return `[${name} "${logEscape(value)}"]`;
}

/** One ModSecurity-style error-log line for a matched rule (the form go-ftw greps `[id "N"]` from). */
export function errorLogLine(rule: MatchedRule, uri: string, txId: string): string {
  const parts = [
    `ModSecurity: Warning. Matched against variable \`${logEscape(rule.matchedVar)}' (Value: \`${logEscape(rule.matchedValue)}' )`,
    field('file', rule.file),
    field('line', String(rule.line)),
    field('id', String(rule.id)),
  ];
  if (rule.msg) parts.push(field('msg', rule.msg));
  if (rule.logdata) parts.push(field('data', rule.logdata));
  if (rule.severity !== undefined) parts.push(field('severity', SEVERITY[rule.severity] ?? String(rule.severity)));
  if (rule.ver) parts.push(field('ver', rule.ver));
  for (const tag of rule.tags) parts.push(field('tag', tag));
  parts.push(field('hostname', '127.0.0.1'), field('uri', uri), field('unique_id', txId));
  return parts.join(' ');
}

function regexMatches(pattern: string, lines: readonly string[]): boolean {
  // Go RE2 syntax is close enough to JS for CRS's patterns; `(?s)`-style flags are not used by the suite.
  const re = new RegExp(pattern);
  return lines.some((line) => re.test(line));
}

/**
 * Judges one stage. `record` is null when picket reported no transaction
 * for the connection; `record.refused` when it reported one its HTTP front
 * rejected before any rule ran. Both count as refused by the HTTP parser.
 */
export function judgeStage(
  expected: StageOutput,
  exchange: Exchange,
  record: TransactionRecord | null,
  logLines: readonly string[],
): Failure[] {
  const failures: Failure[] = [];
  const refused = record === null || record.refused;
  const refusal = (what: string): Failure =>
    refused
      ? { kind: 'parser refusal', detail: `${what}; picket's HTTP parser refused the request (status ${exchange.response?.status ?? 'none'}, no rule ran)` }
      : { kind: 'missing ids', detail: what };

  if (expected.expectError) {
    if (exchange.error === null) {
      failures.push({ kind: 'expected error', detail: `expected an HTTP-level error, got status ${exchange.response?.status}` });
    }
    return failures;
  }
  if (exchange.error !== null || exchange.response === null) {
    failures.push({ kind: exchange.timedOut ? 'timeout' : 'unexpected error', detail: exchange.error ?? 'no response' });
    return failures;
  }
  const status = exchange.response.status;
  if (expected.status && !expected.status.includes(status)) {
    failures.push({
      kind: refused ? 'parser refusal' : 'wrong status',
      detail: `status ${status}, expected ${expected.status.join(' or ')}${refused ? ' (refused by HTTP parser, no rule ran)' : ''}`,
    });
  }
  if (expected.responseContains && !new RegExp(expected.responseContains).test(exchange.response.raw)) {
    failures.push({ kind: 'response regex', detail: `response does not match /${expected.responseContains}/` });
  }
  const found = new Set(record?.ruleIds ?? []);
  if (expected.matchRegex && !regexMatches(expected.matchRegex, logLines)) {
    failures.push(refused ? refusal(`log does not match /${expected.matchRegex}/`) : { kind: 'log regex', detail: `log does not match /${expected.matchRegex}/` });
  }
  if (expected.expectIds) {
    const missing = expected.expectIds.filter((id) => !found.has(id));
    if (missing.length > 0) failures.push(refusal(`missing ${missing.join(',')}`));
  }
  if (expected.noMatchRegex && regexMatches(expected.noMatchRegex, logLines)) {
    failures.push({ kind: 'log regex', detail: `log matches /${expected.noMatchRegex}/` });
  }
  if (expected.noExpectIds) {
    const unexpected = expected.noExpectIds.filter((id) => found.has(id));
    if (unexpected.length > 0) failures.push({ kind: 'unexpected ids', detail: `unexpected ${unexpected.join(',')}` });
  }
  if (expected.isolated && found.size !== 1) {
    failures.push({ kind: 'unexpected ids', detail: `isolated test triggered ${[...found].join(',') || 'nothing'}` });
  }
  return failures;
}
