/**
 * The messages between the cluster primary and its workers (node:cluster IPC,
 * JSON serialised). Every type starts with `picket:` so that messages of other
 * libraries on the same channel are ignored.
 */
import type { PicketConfig } from '../../config/types.ts';
import type { Snapshot } from '../../discovery/types.ts';
import type { MetricsJson } from '../../observability/metrics.ts';

/** Primary → worker. */
export type ToWorker =
  /** The configuration the primary loaded: the worker compiles the ruleset and listens. */
  | { readonly type: 'picket:start'; readonly config: PicketConfig }
  /** A discovery snapshot (the primary runs the one Swarm provider). */
  | { readonly type: 'picket:snapshot'; readonly snapshot: Snapshot }
  /** SIGHUP: recompile the rule files. */
  | { readonly type: 'picket:reload' }
  /** SIGTERM/SIGINT: drain for up to graceMs, then exit 0. */
  | { readonly type: 'picket:shutdown'; readonly graceMs: number }
  | { readonly type: 'picket:metrics-request'; readonly id: number }
  | { readonly type: 'picket:audit-flushed'; readonly id: number };

/** Worker → primary. */
export type ToPrimary =
  | { readonly type: 'picket:listening'; readonly port: number; readonly rules: number }
  /** Readiness after start and after every snapshot. */
  | { readonly type: 'picket:status'; readonly ready: boolean; readonly reason?: string }
  /** Start-up failed (the worker exits 1 next). */
  | { readonly type: 'picket:failed'; readonly code?: string; readonly message: string; readonly details: readonly string[] }
  | { readonly type: 'picket:metrics'; readonly id: number; readonly metrics: MetricsJson }
  /** One serialised audit line, for the primary to append. */
  | { readonly type: 'picket:audit'; readonly line: string }
  | { readonly type: 'picket:audit-flush'; readonly id: number };

export function isPicketMessage<T extends { type: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
    && (message as { type: string }).type.startsWith('picket:');
}
