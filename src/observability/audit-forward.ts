/**
 * The audit log of a cluster worker: it builds each line itself (the same
 * auditLine() as a single process) and hands the serialised line to the
 * primary, which is the only writer of the file. One writer keeps every line
 * whole whatever its size, also on stdout (`-`), and makes reopening after
 * log rotation one step instead of one per worker.
 *
 * The channel to the primary is bounded: lines still waiting to be handed to
 * it past maxPendingBytes are refused (record throws WAF_ERR_AUDIT, which the
 * observer counts in picket_audit_dropped_total), never queued without limit.
 * flush() resolves once the primary has written, and flushed, every line this
 * worker recorded before the call (the channel keeps order).
 *
 * @example
 *   const audit = createForwardedAuditLog({ all: config.audit.all, send, requestFlush });
 */
import { WafError } from '../errors.ts';
import type { AuditLog } from './audit.ts';
import { auditLine } from './audit.ts';

/** Serialised lines waiting for the channel before new ones are refused. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

export interface ForwardedAuditOptions {
  readonly all: boolean;
  /** Hands one serialised line to the primary; `done` runs once the channel has taken it (or failed). */
  send(line: string, done: () => void): void;
  /** Resolves when the primary has written and flushed every line sent before. */
  requestFlush(): Promise<void>;
  /** Whether the channel to the primary is still open. */
  connected(): boolean;
  readonly maxPendingBytes?: number;
}

export function createForwardedAuditLog(options: ForwardedAuditOptions): AuditLog {
  const max = options.maxPendingBytes ?? MAX_PENDING_BYTES;
  let pending = 0;
  let dropped = 0;

  const append = (line: string): void => {
    if (!options.connected()) throw new WafError('WAF_ERR_AUDIT', 'audit line lost: the channel to the primary process is closed');
    if (pending + line.length > max) {
      dropped++;
      throw new WafError('WAF_ERR_AUDIT', `audit line dropped: ${pending} bytes already wait for the primary process`);
    }
    pending += line.length;
    options.send(line, () => {
      pending -= line.length;
    });
  };

  return {
    record(report) {
      if (!options.all && !report.auditRelevant) return false;
      append(JSON.stringify(auditLine(report)));
      return true;
    },
    append,
    flush: () => (options.connected() ? options.requestFlush() : Promise.resolve()),
    // The primary owns the file and reopens it on SIGHUP.
    reopen: () => Promise.resolve(),
    close: () => (options.connected() ? options.requestFlush() : Promise.resolve()),
    get dropped() {
      return dropped;
    },
  };
}
