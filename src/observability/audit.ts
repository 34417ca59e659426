/**
 * The audit log: one JSON line per audit-relevant transaction (a rule asked
 * for it, or every transaction with --audit-all). A line holds what an
 * operator needs to judge a verdict: client, request line and headers
 * (credentials redacted), every matched rule with the variable and value it
 * matched, anomaly scores, verdict, mode and status. Attacker-controlled
 * strings are capped; each cut is listed in `truncated` with its original length.
 *
 * Lines are written promptly (no batching) through sonic-boom with a bounded
 * buffer: if the disk cannot keep up, lines past the bound are dropped,
 * counted and reported through onDrop, never buffered without limit.
 * flush() resolves once everything recorded so far is on disk, which the CRS
 * runner relies on before reading the file.
 *
 * @example
 *   const audit = await openAuditLog({ path: '/var/log/picket/audit.jsonl', all: false });
 *   audit.record(report);
 *   await audit.flush();
 */
import pino from 'pino';
type SonicBoom = ReturnType<typeof pino.destination>;
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MatchedRule } from '../engine/api.ts';
import { WafError } from '../errors.ts';
import type { TransactionReport } from './types.ts';
import { cap, redactHeaders, testMarker } from './redact.ts';

export const AUDIT_CAPS = { uri: 8192, header: 4096, headers: 200, matchedValue: 1024, logdata: 1024, msg: 512 } as const;

/** Bytes buffered for the file before new lines are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;

export interface AuditRule {
  readonly id: number;
  readonly phase: number;
  readonly msg: string;
  readonly logdata: string;
  readonly severity?: number;
  readonly tags: readonly string[];
  readonly matchedVar: string;
  readonly matchedValue: string;
  readonly disruptive?: string;
  readonly file: string;
  readonly line: number;
}

/** The shape of one audit line (documented in docs/configuration.md). */
export interface AuditLine {
  readonly id: string;
  readonly time: string;
  readonly mode: string;
  readonly verdict: string;
  readonly status?: number;
  readonly client: { readonly address: string; readonly port: number };
  readonly request: {
    readonly method: string;
    readonly uri: string;
    readonly protocol: string;
    readonly headers: readonly (readonly [string, string])[];
  };
  /** X-CRS-Test header value, verbatim, when present (go-ftw's marker). */
  readonly testMarker?: string;
  readonly service?: string;
  readonly upstream?: string;
  readonly rules: readonly AuditRule[];
  readonly scores: { readonly inbound: number; readonly outbound: number };
  readonly interruption?: { readonly status?: number; readonly ruleId?: number };
  readonly engineMs: number;
  /** Fields cut to their cap: JSON-path-like name and original length. */
  readonly truncated?: readonly { readonly field: string; readonly length: number }[];
}

/** Builds the audit line for a report (pure; exported for tests and `picket eval --json`). */
export function auditLine(report: TransactionReport): AuditLine {
  const truncated: { field: string; length: number }[] = [];
  const capped = (value: string, max: number, field: string): string => {
    const result = cap(value, max);
    if (result.truncatedFrom !== undefined) truncated.push({ field, length: result.truncatedFrom });
    return result.value;
  };

  const marker = testMarker(report.request.headers);
  const allHeaders = redactHeaders(report.request.headers);
  if (allHeaders.length > AUDIT_CAPS.headers) truncated.push({ field: 'request.headers', length: allHeaders.length });
  const headers = allHeaders.slice(0, AUDIT_CAPS.headers).map(([name, value], i): [string, string] => [
    capped(name, 256, `request.headers[${i}][0]`),
    capped(value, AUDIT_CAPS.header, `request.headers[${i}][1]`),
  ]);

  const rules = report.matchedRules.map((rule: MatchedRule, i): AuditRule => ({
    id: rule.id,
    phase: rule.phase,
    msg: capped(rule.msg, AUDIT_CAPS.msg, `rules[${i}].msg`),
    logdata: capped(rule.logdata, AUDIT_CAPS.logdata, `rules[${i}].logdata`),
    ...(rule.severity !== undefined ? { severity: rule.severity } : {}),
    tags: rule.tags,
    matchedVar: capped(rule.matchedVar, 256, `rules[${i}].matchedVar`),
    matchedValue: capped(rule.matchedValue, AUDIT_CAPS.matchedValue, `rules[${i}].matchedValue`),
    ...(rule.disruptive !== undefined ? { disruptive: rule.disruptive } : {}),
    file: rule.file,
    line: rule.line,
  }));

  return {
    id: report.id,
    time: report.time,
    mode: report.mode,
    verdict: report.verdict,
    ...(report.status !== undefined ? { status: report.status } : {}),
    client: report.client,
    request: {
      method: capped(report.request.method, 64, 'request.method'),
      uri: capped(report.request.uri, AUDIT_CAPS.uri, 'request.uri'),
      protocol: capped(report.request.protocol, 32, 'request.protocol'),
      headers,
    },
    ...(marker !== undefined ? { testMarker: marker } : {}),
    ...(report.service !== undefined ? { service: report.service } : {}),
    ...(report.upstream !== undefined ? { upstream: report.upstream } : {}),
    rules,
    scores: report.scores,
    ...(report.interruptionStatus !== undefined || report.interruptionRuleId !== undefined
      ? {
        interruption: {
          ...(report.interruptionStatus !== undefined ? { status: report.interruptionStatus } : {}),
          ...(report.interruptionRuleId !== undefined ? { ruleId: report.interruptionRuleId } : {}),
        },
      }
      : {}),
    engineMs: Math.round(report.engineMs * 1000) / 1000,
    ...(truncated.length > 0 ? { truncated } : {}),
  };
}

export interface AuditLog {
  /** Writes the report's line when it is audit-relevant (or always with `all`); returns whether it wrote. */
  record(report: TransactionReport): boolean;
  /** Writes one line already built by auditLine() and serialised (a cluster worker's, in the primary). */
  append(line: string): void;
  /** Resolves when every line recorded so far has been written. */
  flush(): Promise<void>;
  /** Opens the path again (after log rotation moved the file); lines already recorded go to the old file. */
  reopen(): Promise<void>;
  close(): Promise<void>;
  /** Lines dropped because the writer's buffer was full. */
  readonly dropped: number;
}

export interface AuditOptions {
  /** File path, or '-' for stdout. */
  readonly path: string;
  readonly all: boolean;
  /** Called once per dropped line (metrics, a rate-limited warning). */
  readonly onDrop?: () => void;
  readonly maxBuffered?: number;
}

export async function openAuditLog(options: AuditOptions): Promise<AuditLog> {
  let dropped = 0;
  let failure: Error | undefined;

  const open = async (): Promise<SonicBoom> => {
    // Open the file here rather than in sonic-boom, so a bad path fails now with its reason.
    let fd = 1;
    if (options.path !== '-') {
      try {
        await mkdir(dirname(options.path), { recursive: true });
        fd = openSync(options.path, 'a', 0o640);
      } catch (error) {
        throw new WafError('WAF_ERR_AUDIT', `cannot open audit log ${options.path}: ${(error as Error).message}`, { cause: error });
      }
    }
    const stream = pino.destination({
      dest: fd,
      sync: false,
      // minLength 1: every line is written at once, and flush(cb) waits for the write.
      minLength: 1,
      maxLength: options.maxBuffered ?? MAX_BUFFERED,
    });
    stream.on('drop', () => {
      dropped++;
      options.onDrop?.();
    });
    stream.on('error', (error: Error) => {
      failure = error;
    });
    return stream;
  };

  const end = async (stream: SonicBoom): Promise<void> => {
    if (options.path === '-') {
      await new Promise<void>((resolve) => stream.flush(() => resolve()));
      return;
    }
    const closed = once(stream, 'close');
    stream.end();
    await closed;
  };

  let stream = await open();
  const append = (line: string): void => {
    if (failure) throw new WafError('WAF_ERR_AUDIT', `audit log ${options.path} failed: ${failure.message}`, { cause: failure });
    stream.write(`${line}\n`);
  };
  return {
    record(report) {
      if (!options.all && !report.auditRelevant) return false;
      append(JSON.stringify(auditLine(report)));
      return true;
    },
    append,
    flush() {
      return new Promise((resolve, reject) => {
        stream.flush((error?: Error | null) => (error ? reject(error) : resolve()));
      });
    },
    async reopen() {
      if (options.path === '-') return;
      const next = await open();
      const previous = stream;
      stream = next;
      failure = undefined;
      await end(previous);
    },
    close() {
      return end(stream);
    },
    get dropped() {
      return dropped;
    },
  };
}
