/**
 * The Observer the proxy reports to: fans each event out to metrics, the
 * audit log and the pino log. Nothing here throws back into the proxy; a
 * failing audit log is logged (and its lines counted as dropped).
 */
import type { Logger } from 'pino';
import type { AuditLog } from './audit.ts';
import type { Metrics } from './metrics.ts';
import { requestFields } from './logger.ts';
import type { Observer, TransactionReport } from './types.ts';

export interface ObserverOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly audit?: AuditLog | null;
}

/** Warn about audit failures, and about each upstream's errors, at most this often. */
const WARN_INTERVAL_MS = 10_000;

export function createObserver(options: ObserverOptions): Observer {
  const { logger, metrics, audit } = options;
  let lastAuditWarning = 0;
  // Upstream errors come in storms when an upstream is down: one line per upstream and kind per interval.
  const upstreamWarned = new Map<string, { at: number; suppressed: number }>();

  const summary = (report: TransactionReport): Record<string, unknown> => ({
    verdict: report.verdict,
    mode: report.mode,
    ...(report.status !== undefined ? { status: report.status } : {}),
    ...(report.interruptionRuleId !== undefined ? { ruleId: report.interruptionRuleId } : {}),
    rules: report.matchedRules.map((rule) => rule.id),
    scores: report.scores,
    client: report.client.address,
    ...(report.service !== undefined ? { service: report.service } : {}),
    engineMs: report.engineMs,
    request: requestFields(report.request),
  });

  return {
    transactionEnd(report) {
      metrics.requests.inc({ mode: report.mode, verdict: report.verdict });
      for (const rule of report.matchedRules) metrics.ruleMatches.inc({ rule_id: String(rule.id) });
      metrics.engineSeconds.observe(report.engineMs / 1000);

      if (audit) {
        try {
          audit.record(report);
        } catch (error) {
          metrics.auditDropped.inc();
          const now = Date.now();
          if (now - lastAuditWarning > WARN_INTERVAL_MS) {
            lastAuditWarning = now;
            logger.error({ err: error }, 'audit log write failed');
          }
        }
      }

      // Decide the level first: most allowed requests log nothing, and then build nothing.
      const [level, message] = report.verdict === 'blocked' ? ['warn', 'request blocked'] as const
        : report.verdict === 'would-block' ? ['warn', 'request would have been blocked'] as const
        : report.verdict === 'error' || report.verdict === 'rejected' ? ['info', `request ${report.verdict}`] as const
        : report.matchedRules.length > 0 ? ['info', 'request matched rules'] as const
        : ['debug', 'request allowed'] as const;
      if (logger.isLevelEnabled(level)) logger.child({ txId: report.id })[level](summary(report), message);
    },
    upstreamError(kind, upstream) {
      metrics.upstreamErrors.inc({ kind });
      const key = `${kind} ${upstream}`;
      const now = Date.now();
      const last = upstreamWarned.get(key);
      if (last && now - last.at < WARN_INTERVAL_MS) {
        last.suppressed++;
        return;
      }
      if (upstreamWarned.size > 1000) upstreamWarned.clear();
      upstreamWarned.set(key, { at: now, suppressed: 0 });
      logger.warn({ kind, upstream, ...(last ? { suppressedSinceLast: last.suppressed } : {}) }, 'upstream error');
    },
    mirrorQueueDepth(depth) {
      metrics.mirrorQueueDepth.set(depth);
    },
    mirrorDropped() {
      metrics.mirrorDropped.inc();
    },
    engineError(error, transactionId) {
      metrics.engineErrors.inc();
      logger.error({ err: error, txId: transactionId }, 'rule engine error');
    },
  };
}
