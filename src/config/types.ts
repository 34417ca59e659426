/**
 * picket's validated, frozen configuration: what `picket run` builds from
 * flags, environment variables and an optional YAML file (config/load.ts),
 * and what every other module receives. No module reads process.env itself.
 */

/** inline blocks, detect forwards and records, mirror answers at once and inspects copies out of path. */
export type Mode = 'inline' | 'detect' | 'mirror';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface Limits {
  /** SecRequestBodyLimit (bytes, whole body including files). */
  readonly requestBody: number;
  /** SecRequestBodyNoFilesLimit (bytes, body less file parts). */
  readonly requestBodyNoFiles: number;
  /** SecRequestBodyLimitAction. */
  readonly requestBodyAction: 'Reject' | 'ProcessPartial';
  /** SecResponseBodyLimit (bytes inspected). */
  readonly responseBody: number;
  /** Total request header bytes before 431. */
  readonly headerBytes: number;
  /** Request-target length before 414. */
  readonly uriLength: number;
  /** Time to receive the request headers (slow clients). */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request. */
  readonly requestTimeoutMs: number;
  /** Time to wait for the upstream's response headers before 504. */
  readonly upstreamTimeoutMs: number;
  /** Keep-alive idle time on client connections. */
  readonly keepAliveTimeoutMs: number;
  /** Request-body bytes held for inspection across all requests of one process (the proxy's default when absent). */
  readonly bodyBufferBytes?: number;
  /** Byte budget of the engine's cross-request value cache per ruleset and process; 0 disables it (the engine's default when absent). */
  readonly valueCache?: number;
}

export interface RulesConfig {
  /** Rule files, directories (every *.conf in name order) or globs, loaded in order after the CRS. */
  readonly files: readonly string[];
  /** OWASP CRS directory: setup file, then rules/*.conf in order. */
  readonly crsDir?: string;
  /** CRS setup file (default: crsDir/crs-setup.conf.example). */
  readonly crsSetup?: string;
  /** Blocking paranoia level 1–4 (CRS tx.blocking_paranoia_level). */
  readonly paranoiaLevel: number;
  readonly inboundAnomalyThreshold: number;
  readonly outboundAnomalyThreshold: number;
}

export interface MirrorConfig {
  /** Addresses or CIDRs allowed to send mirrored traffic whose X-Forwarded-For / X-Original-URI picket believes. */
  readonly sources: readonly string[];
  /** Requests waiting for inspection before new ones are dropped (and counted). */
  readonly queueSize: number;
}

export interface AuditConfig {
  /** JSON lines file; '-' writes to stdout; null disables the audit log. */
  readonly path: string | null;
  /** Record every transaction, not only those that matched a rule. */
  readonly all: boolean;
}

export interface SwarmConfig {
  /** 'sidecar' protects one service; 'ingress' routes to every enabled service by host and path. */
  readonly deployment: 'sidecar' | 'ingress';
  /** The protected service's name (sidecar). */
  readonly service?: string;
  /** Network shared with the services; tasks' addresses are read on it. */
  readonly network?: string;
  /** Full reconcile period. */
  readonly reconcileMs: number;
  /** Label prefix, default 'picket.' */
  readonly labelPrefix: string;
}

export interface PicketConfig {
  readonly mode: Mode;
  readonly listen: ListenAddress;
  /** Separate listener for /healthz, /readyz and /metrics; null disables it. */
  readonly admin: ListenAddress | null;
  /** Static upstream origins (http://host:port); empty when discovery provides them. */
  readonly upstreams: readonly string[];
  readonly rules: RulesConfig;
  readonly limits: Limits;
  /** Addresses or CIDRs of proxies whose X-Forwarded-For picket trusts for the client address. */
  readonly trustedProxies: readonly string[];
  readonly mirror: MirrorConfig;
  readonly audit: AuditConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly swarm: SwarmConfig | null;
  /** Longest engine warm-up before a ruleset takes traffic (engine/warm-up.ts); 0 or absent: none. */
  readonly warmUpMs?: number;
  /** Proxy processes (node:cluster workers) `picket run` starts; 1 or absent: a single process. */
  readonly workers?: number;
}
