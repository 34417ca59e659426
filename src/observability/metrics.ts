/**
 * Prometheus metrics on a registry of picket's own (not prom-client's global
 * one, so tests and several instances do not collide), plus the default
 * process metrics (CPU, memory, event-loop lag, handles).
 *
 * Names: picket_requests_total{mode,verdict}, picket_rule_matches_total{rule_id},
 * picket_engine_seconds, picket_upstream_errors_total{kind},
 * picket_mirror_queue_depth, picket_mirror_dropped_total,
 * picket_audit_dropped_total, picket_engine_errors_total, picket_rules_loaded,
 * picket_ruleset_reloads_total{result}, picket_build_info{version}.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'mode' | 'verdict'>;
  readonly ruleMatches: Counter<'rule_id'>;
  readonly engineSeconds: Histogram;
  readonly upstreamErrors: Counter<'kind'>;
  readonly mirrorQueueDepth: Gauge;
  readonly mirrorDropped: Counter;
  readonly auditDropped: Counter;
  readonly engineErrors: Counter;
  readonly rulesLoaded: Gauge;
  readonly reloads: Counter<'result'>;
}

export function createMetrics(options: { version?: string; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const build = new Gauge({ name: 'picket_build_info', help: 'picket version', labelNames: ['version'], registers: [registry] });
  build.set({ version: options.version ?? 'unknown' }, 1);
  return {
    registry,
    requests: new Counter({
      name: 'picket_requests_total', help: 'Transactions by mode and verdict', labelNames: ['mode', 'verdict'], registers: [registry],
    }),
    ruleMatches: new Counter({
      name: 'picket_rule_matches_total', help: 'Rule matches by rule id', labelNames: ['rule_id'], registers: [registry],
    }),
    engineSeconds: new Histogram({
      name: 'picket_engine_seconds',
      help: 'Time spent in the rule engine per transaction',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'picket_upstream_errors_total', help: 'Upstream failures by kind', labelNames: ['kind'], registers: [registry],
    }),
    mirrorQueueDepth: new Gauge({ name: 'picket_mirror_queue_depth', help: 'Mirrored requests waiting for inspection', registers: [registry] }),
    mirrorDropped: new Counter({ name: 'picket_mirror_dropped_total', help: 'Mirrored requests dropped because the queue was full', registers: [registry] }),
    auditDropped: new Counter({ name: 'picket_audit_dropped_total', help: 'Audit lines dropped because the writer could not keep up', registers: [registry] }),
    engineErrors: new Counter({ name: 'picket_engine_errors_total', help: 'Rule engine errors at run time', registers: [registry] }),
    rulesLoaded: new Gauge({ name: 'picket_rules_loaded', help: 'Compiled rules in the active ruleset', registers: [registry] }),
    reloads: new Counter({ name: 'picket_ruleset_reloads_total', help: 'Ruleset reloads (SIGHUP) by result', labelNames: ['result'], registers: [registry] }),
  };
}
