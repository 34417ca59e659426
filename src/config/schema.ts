/**
 * Every setting of `picket run`: its YAML key, flag, environment variable,
 * default and parser, in one table. load.ts merges the sources through this
 * table, cli/args.ts recognises flags with it, and docs/configuration.md
 * documents the same rows (test/cli/config-doc.test.ts keeps them in sync).
 */
import {
  ValueError, parseBool, parseBytes, parseCidr, parseDuration, parseEnum, parseInt, parseListen, parseOrigin, parseString,
} from './values.ts';

export interface OptionSpec {
  /** Dotted YAML path, e.g. `rules.paranoia`. */
  readonly key: string;
  /** Long flag without the dashes, e.g. `paranoia`. */
  readonly flag: string;
  /** Environment variable, `PICKET_` + the flag in upper snake case. */
  readonly env: string;
  /** Placeholder for help output; absent for boolean flags, which take no value. */
  readonly arg?: string;
  /** Repeatable flag, comma-separated env value, YAML sequence. */
  readonly list?: boolean;
  /** Relative paths resolve against the YAML file's directory (flags and env: the working directory). */
  readonly path?: boolean;
  readonly default: unknown;
  /** The default as the docs show it. */
  readonly shownDefault: string;
  readonly describe: string;
  /** Parses one value (one item for lists). */
  readonly parse: (raw: unknown) => unknown;
}

const MODES = ['inline', 'detect', 'mirror'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const LIMIT_ACTIONS = ['Reject', 'ProcessPartial'] as const;
const DEPLOYMENTS = ['sidecar', 'ingress'] as const;

/** `off` (or YAML false/null) disables a listener or the audit log. */
function isOff(raw: unknown): boolean {
  return raw === null || raw === false || (typeof raw === 'string' && ['off', 'false', 'none', ''].includes(raw.trim().toLowerCase()));
}

/** `auto` or a process count. */
function parseWorkers(raw: unknown): number | 'auto' {
  if (typeof raw === 'string' && raw.trim().toLowerCase() === 'auto') return 'auto';
  return parseInt(raw, 1, 1024);
}

function option(spec: Omit<OptionSpec, 'env'>): OptionSpec {
  return { ...spec, env: `PICKET_${spec.flag.toUpperCase().replaceAll('-', '_')}` };
}

export const OPTIONS: readonly OptionSpec[] = [
  option({
    key: 'mode', flag: 'mode', arg: 'inline|detect|mirror', default: 'inline', shownDefault: 'inline',
    describe: 'inline blocks (SecRuleEngine On); detect forwards everything and records what would be blocked (DetectionOnly); mirror answers mirrored copies at once and inspects them out of path (DetectionOnly).',
    parse: (raw) => parseEnum(raw, MODES),
  }),
  option({
    key: 'listen', flag: 'listen', arg: 'HOST:PORT', default: { host: '0.0.0.0', port: 8080 }, shownDefault: '0.0.0.0:8080',
    describe: 'Address the proxy listens on.', parse: parseListen,
  }),
  option({
    key: 'admin', flag: 'admin', arg: 'HOST:PORT|off', default: { host: '0.0.0.0', port: 9090 }, shownDefault: '0.0.0.0:9090',
    describe: 'Admin listener for /healthz, /readyz and /metrics; `off` disables it. All interfaces by default so container health checks and Prometheus reach it; do not publish it outside the cluster.',
    parse: (raw) => (isOff(raw) ? null : parseListen(raw)),
  }),
  option({
    key: 'workers', flag: 'workers', arg: 'N|auto', default: 'auto', shownDefault: 'auto',
    describe: 'Proxy processes (node:cluster workers sharing the listen port, round-robin); `auto` is one per available CPU (os.availableParallelism()); 1 runs everything in a single process.',
    parse: parseWorkers,
  }),
  option({
    key: 'warmUp', flag: 'warm-up', arg: 'DURATION', default: 2_000, shownDefault: '2s',
    describe: "Before a ruleset takes traffic (start-up, reload), run up to 1,500 synthetic requests through it for at most this long, so that the first real requests do not pay for V8 compiling the engine and the rules' regexes; /readyz answers 503 meanwhile. 0 turns it off.",
    parse: (raw) => parseDuration(raw, 0, 60_000),
  }),
  option({
    key: 'upstreams', flag: 'upstream', arg: 'URL', list: true, default: [], shownDefault: 'none',
    describe: 'Static upstream origin (http://host:port), repeatable; requests are balanced across them. Required in inline and detect modes unless --swarm discovers upstreams.',
    parse: parseOrigin,
  }),
  option({
    key: 'rules.files', flag: 'rules', arg: 'PATH', list: true, path: true, default: [], shownDefault: 'none',
    describe: 'Rule file, directory (every *.conf, sorted by name) or glob, repeatable; loaded after the CRS (or instead of the picket core ruleset when no --crs is given).',
    parse: parseString,
  }),
  option({
    key: 'rules.crs', flag: 'crs', arg: 'DIR', path: true, default: undefined, shownDefault: 'none',
    describe: 'OWASP CRS directory: loads the setup file, plugins/*-config.conf, plugins/*-before.conf, rules/*.conf, plugins/*-after.conf.',
    parse: parseString,
  }),
  option({
    key: 'rules.crsSetup', flag: 'crs-setup', arg: 'FILE', path: true, default: undefined, shownDefault: 'DIR/crs-setup.conf.example',
    describe: 'CRS setup file (default: crs-setup.conf in the CRS directory when present, else crs-setup.conf.example).',
    parse: parseString,
  }),
  option({
    key: 'rules.paranoia', flag: 'paranoia', arg: 'N', default: 1, shownDefault: '1',
    describe: 'Blocking paranoia level 1-4 (sets CRS tx.blocking_paranoia_level).', parse: (raw) => parseInt(raw, 1, 4),
  }),
  option({
    key: 'rules.inboundThreshold', flag: 'inbound-threshold', arg: 'N', default: 5, shownDefault: '5',
    describe: 'Inbound anomaly score at which a request is blocked (tx.inbound_anomaly_score_threshold).',
    parse: (raw) => parseInt(raw, 1, 10_000),
  }),
  option({
    key: 'rules.outboundThreshold', flag: 'outbound-threshold', arg: 'N', default: 4, shownDefault: '4',
    describe: 'Outbound anomaly score at which a response is blocked (tx.outbound_anomaly_score_threshold).',
    parse: (raw) => parseInt(raw, 1, 10_000),
  }),
  option({
    key: 'limits.requestBody', flag: 'body-limit', arg: 'SIZE', default: 13_107_200, shownDefault: '12.5MiB (13107200)',
    describe: 'SecRequestBodyLimit: largest request body, files included, that is buffered and inspected.',
    parse: (raw) => parseBytes(raw, 1),
  }),
  option({
    key: 'limits.requestBodyNoFiles', flag: 'body-nofiles-limit', arg: 'SIZE', default: 131_072, shownDefault: '128KiB (131072)',
    describe: 'SecRequestBodyNoFilesLimit: largest request body not counting multipart file parts.',
    parse: (raw) => parseBytes(raw, 1),
  }),
  option({
    key: 'limits.requestBodyAction', flag: 'body-limit-action', arg: 'Reject|ProcessPartial', default: 'Reject', shownDefault: 'Reject',
    describe: 'SecRequestBodyLimitAction: Reject answers 413 past the limit; ProcessPartial inspects the first part and forwards the rest uninspected.',
    parse: (raw) => parseEnum(raw, LIMIT_ACTIONS),
  }),
  option({
    key: 'limits.responseBody', flag: 'response-body-limit', arg: 'SIZE', default: 524_288, shownDefault: '512KiB (524288)',
    describe: 'SecResponseBodyLimit: response body bytes inspected (text MIME types only).',
    parse: (raw) => parseBytes(raw, 1),
  }),
  option({
    key: 'limits.headerBytes', flag: 'header-bytes', arg: 'SIZE', default: 16_384, shownDefault: '16KiB (16384)',
    describe: 'Total request header bytes accepted; larger requests get 431.', parse: (raw) => parseBytes(raw, 1024, 1024 ** 2),
  }),
  option({
    key: 'limits.uriLength', flag: 'uri-length', arg: 'N', default: 8192, shownDefault: '8192',
    describe: 'Longest request-target accepted; longer ones get 414.', parse: (raw) => parseInt(raw, 64, 1024 ** 2),
  }),
  option({
    key: 'limits.headersTimeout', flag: 'headers-timeout', arg: 'DURATION', default: 20_000, shownDefault: '20s',
    describe: 'Time a client has to send the request headers (slow-client protection).', parse: (raw) => parseDuration(raw, 1),
  }),
  option({
    key: 'limits.requestTimeout', flag: 'request-timeout', arg: 'DURATION', default: 60_000, shownDefault: '60s',
    describe: 'Time a client has to send the whole request.', parse: (raw) => parseDuration(raw, 1),
  }),
  option({
    key: 'limits.upstreamTimeout', flag: 'upstream-timeout', arg: 'DURATION', default: 30_000, shownDefault: '30s',
    describe: 'Time to wait for the upstream response headers before answering 504.', parse: (raw) => parseDuration(raw, 1),
  }),
  option({
    key: 'limits.keepAliveTimeout', flag: 'keepalive-timeout', arg: 'DURATION', default: 5_000, shownDefault: '5s',
    describe: 'Idle time before a client keep-alive connection is closed.', parse: (raw) => parseDuration(raw, 1),
  }),
  option({
    key: 'limits.bodyBufferBytes', flag: 'body-buffer-bytes', arg: 'SIZE', default: 268_435_456, shownDefault: '256MiB (268435456)',
    describe: 'Request-body bytes held for inspection across all requests of one proxy process (each worker has its own budget); past it inline answers 503 and detect/mirror inspect only what they hold.',
    parse: (raw) => parseBytes(raw, 1),
  }),
  option({
    key: 'limits.valueCache', flag: 'value-cache', arg: 'SIZE', default: 33_554_432, shownDefault: '32MiB (33554432)',
    describe: 'Memory per ruleset and process for what the engine remembers about values it has inspected (transformation results, rules a value did not match), reused across requests; 0 turns it off. Verdicts are the same either way (docs/performance.md).',
    parse: (raw) => parseBytes(raw, 0),
  }),
  option({
    key: 'trustedProxies', flag: 'trusted-proxy', arg: 'CIDR', list: true, default: [], shownDefault: 'none',
    describe: 'Address or CIDR of a proxy in front of picket whose X-Forwarded-For is believed for the client address; repeatable.',
    parse: parseCidr,
  }),
  option({
    key: 'mirror.sources', flag: 'mirror-source', arg: 'CIDR', list: true, default: [], shownDefault: 'none',
    describe: 'Mirror mode: address or CIDR allowed to send mirrored traffic whose X-Forwarded-For / X-Original-URI are believed; repeatable.',
    parse: parseCidr,
  }),
  option({
    key: 'mirror.queueSize', flag: 'mirror-queue', arg: 'N', default: 1000, shownDefault: '1000',
    describe: 'Mirror mode: requests waiting for inspection before new ones are dropped (and counted).',
    parse: (raw) => parseInt(raw, 1, 1_000_000),
  }),
  option({
    key: 'audit.path', flag: 'audit-log', arg: 'PATH|-|off', path: true, default: null, shownDefault: 'off',
    describe: 'JSON-lines audit log file; `-` writes to stdout; `off` disables it.',
    parse: (raw) => (isOff(raw) ? null : parseString(raw)),
  }),
  option({
    key: 'audit.all', flag: 'audit-all', default: false, shownDefault: 'false',
    describe: 'Record every transaction in the audit log, not only those that matched a rule.', parse: parseBool,
  }),
  option({
    key: 'logLevel', flag: 'log-level', arg: 'LEVEL', default: 'info', shownDefault: 'info',
    describe: `Log level: ${LOG_LEVELS.join(', ')}.`, parse: (raw) => parseEnum(raw, LOG_LEVELS),
  }),
  option({
    key: 'swarm.deployment', flag: 'swarm', arg: 'sidecar|ingress', default: undefined, shownDefault: 'off',
    describe: 'Discover upstreams from Docker Swarm: sidecar protects one service (--swarm-service); ingress routes to every service labelled for picket.',
    parse: (raw) => parseEnum(raw, DEPLOYMENTS),
  }),
  option({
    key: 'swarm.service', flag: 'swarm-service', arg: 'NAME', default: undefined, shownDefault: 'none',
    describe: 'Swarm sidecar: the protected service name.', parse: parseString,
  }),
  option({
    key: 'swarm.network', flag: 'swarm-network', arg: 'NAME', default: undefined, shownDefault: 'any shared network',
    describe: 'Swarm: overlay network on which task addresses are read.', parse: parseString,
  }),
  option({
    key: 'swarm.reconcile', flag: 'swarm-reconcile', arg: 'DURATION', default: 5_000, shownDefault: '5s',
    describe: 'Swarm: period of the full reconcile (events update routes in between).', parse: (raw) => parseDuration(raw, 1000),
  }),
  option({
    key: 'swarm.labelPrefix', flag: 'label-prefix', arg: 'PREFIX', default: 'picket.', shownDefault: 'picket.',
    describe: 'Swarm: prefix of the service labels picket reads (e.g. picket.enable, picket.port).',
    parse: (raw) => {
      const text = parseString(raw);
      if (!/^[a-zA-Z0-9._/-]+$/.test(text)) throw new ValueError(`must contain only letters, digits, '.', '-', '_' or '/', got ${JSON.stringify(text)}`);
      return text;
    },
  }),
];

export const OPTIONS_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.key, o]));
export const OPTIONS_BY_FLAG: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.flag, o]));
export const OPTIONS_BY_ENV: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.env, o]));

/** PICKET_* variables that are not settings but are known (launcher, config file). */
export const OTHER_ENV = ['PICKET_CONFIG', 'PICKET_DIST'] as const;

/** Prefixes of PICKET_* variables that belong to test harnesses, not to picket (e.g. PICKET_E2E_CRS). */
export const IGNORED_ENV_PREFIXES = ['PICKET_E2E_', 'PICKET_TEST_', 'PICKET_BENCH_'] as const;
