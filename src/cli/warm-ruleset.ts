/**
 * The engine warm-up (engine/warm-up.ts) as the composition root runs it: on
 * every ruleset before it takes traffic, bounded by --warm-up, and logged.
 */
import type { Waf } from '../engine/api.ts';
import { warmUp } from '../engine/warm-up.ts';

/** What the warm-up logs through (a pino logger, or route-wafs.ts's narrower one). */
export interface WarmUpLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export async function warmRuleset(waf: Waf, budgetMs: number | undefined, logger: WarmUpLogger, context: Record<string, unknown> = {}): Promise<void> {
  if (budgetMs === undefined || budgetMs <= 0) return;
  const report = await warmUp(waf, { budgetMs });
  const fields = { ...context, transactions: report.transactions, ms: Math.round(report.ms) };
  if (report.failures > 0) {
    // The engine threw on synthetic traffic: real requests may hit the same bug; say so loudly, but serve.
    logger.error({ ...fields, failures: report.failures, firstFailure: report.firstFailure }, 'engine warm-up: the engine failed on synthetic requests');
  } else {
    logger.info(fields, 'engine warmed up');
  }
}
