/**
 * Discovery providers emit full route tables (snapshots), never deltas; the
 * proxy swaps its table atomically on each one.
 */
import type { Mode } from '../config/types.ts';

/** Per-service WAF options, e.g. from Swarm service labels. Unset fields use the global config. */
export interface RouteWafOptions {
  readonly mode?: Mode;
  readonly paranoiaLevel?: number;
  /** Extra rule files for this service. */
  readonly extraRules?: readonly string[];
  /** Rule ids removed for this service (SecRuleRemoveById). */
  readonly removeRuleIds?: readonly number[];
}

export interface Route {
  /** Service name, for logs and metrics. */
  readonly service: string;
  /** Host header values this route answers (ingress); empty matches any host. */
  readonly hosts: readonly string[];
  /** Path prefix (ingress); '/' matches all. */
  readonly pathPrefix: string;
  /** Upstream origins, one per running replica, e.g. http://10.0.1.7:8080. */
  readonly endpoints: readonly string[];
  readonly waf: RouteWafOptions;
}

export interface Snapshot {
  readonly routes: readonly Route[];
}

export interface Provider {
  /** Starts watching; calls onSnapshot with every changed route table (the first as soon as known). */
  start(onSnapshot: (snapshot: Snapshot) => void): Promise<void>;
  stop(): Promise<void>;
}
