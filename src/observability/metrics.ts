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
 *
 * With --workers N every worker keeps these on its own registry and the
 * primary's admin listener serves their aggregate (aggregateMetrics):
 * counters, histograms and the mirror queue depth are summed; the rules
 * loaded, reloads (every worker reloads on one SIGHUP) and build info take
 * the largest or first worker's value. The primary adds picket_workers and
 * picket_worker_restarts_total (createPrimaryMetrics).
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

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
  const build = new Gauge({ name: 'picket_build_info', help: 'picket version', labelNames: ['version'], registers: [registry], aggregator: 'first' });
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
    rulesLoaded: new Gauge({ name: 'picket_rules_loaded', help: 'Compiled rules in the active ruleset', registers: [registry], aggregator: 'max' }),
    reloads: new Counter({
      name: 'picket_ruleset_reloads_total', help: 'Ruleset reloads (SIGHUP) by result', labelNames: ['result'], registers: [registry], aggregator: 'max',
    }),
  };
}

/** The cluster primary's own metrics (it serves no traffic, so no default process metrics that would clash with the workers'). */
export interface PrimaryMetrics {
  readonly registry: Registry;
  /** Workers running and ready. */
  readonly workersReady: Gauge;
  readonly workerRestarts: Counter;
  /** Lines the primary's audit writer dropped (workers count the ones their channel refused). */
  readonly auditDropped: Counter;
}

export function createPrimaryMetrics(): PrimaryMetrics {
  const registry = new Registry();
  return {
    registry,
    workersReady: new Gauge({ name: 'picket_workers_ready', help: 'Cluster workers running with the ruleset and routes', registers: [registry] }),
    workerRestarts: new Counter({ name: 'picket_worker_restarts_total', help: 'Cluster workers restarted after an unexpected exit', registers: [registry] }),
    auditDropped: new Counter({ name: 'picket_audit_dropped_total', help: 'Audit lines dropped because the writer could not keep up', registers: [registry] }),
  };
}

/** One registry's metrics as sent over the cluster channel. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Aggregates the workers' (and the primary's) metrics into one registry for
 * exposition; each metric uses the aggregator it was declared with (sum by default).
 */
export function aggregateMetrics(parts: readonly MetricsJson[]): Registry {
  return AggregatorRegistry.aggregate(parts as MetricsJson[]);
}
