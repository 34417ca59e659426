/**
 * Builds the one validated, deep-frozen PicketConfig from defaults, an
 * optional YAML file, PICKET_* environment variables and command-line flags
 * (later sources win: flags > env > file > defaults). Every problem is
 * collected, each naming its source (the flag, the variable, or file:line),
 * and reported together as one WAF_ERR_CONFIG error.
 */
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { WafError } from '../errors.ts';
import { deepFreeze } from './freeze.ts';
import { IGNORED_ENV_PREFIXES, OPTIONS, OPTIONS_BY_ENV, OPTIONS_BY_FLAG, OPTIONS_BY_KEY, OTHER_ENV } from './schema.ts';
import type { OptionSpec } from './schema.ts';
import { didYouMean } from './suggest.ts';
import type { ListenAddress, PicketConfig } from './types.ts';
import { ValueError, splitList } from './values.ts';
import { readYamlConfig } from './yaml-source.ts';

/** One occurrence of a flag on the command line; boolean flags given bare carry `true`. */
export interface FlagValue {
  readonly flag: string;
  readonly value: string | true;
}

export interface ConfigSources {
  readonly flags?: readonly FlagValue[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** YAML file; when absent, PICKET_CONFIG names it. */
  readonly file?: string;
  /** Values a command supplies above the defaults but below every user source (e.g. `picket demo`). */
  readonly base?: Readonly<Record<string, unknown>>;
  readonly cwd?: string;
  /** inline and detect need somewhere to forward; false for commands that never proxy. */
  readonly requireUpstream?: boolean;
}

interface Resolved {
  readonly value: unknown;
  /** Where it came from, as errors print it: `--paranoia`, `PICKET_PARANOIA`, `picket.yaml:3: rules.paranoia`, `default`. */
  readonly source: string;
}

function parseValue(spec: OptionSpec, raw: unknown, baseDir: string | undefined): unknown {
  const one = (item: unknown): unknown => {
    const value = spec.parse(item);
    return spec.path && baseDir !== undefined && typeof value === 'string' && value !== '-' ? resolve(baseDir, value) : value;
  };
  return spec.list ? splitList(raw).map(one) : one(raw);
}

export function loadConfig(sources: ConfigSources): PicketConfig {
  const cwd = sources.cwd ?? process.cwd();
  const env = sources.env ?? {};
  const issues: string[] = [];
  const values = new Map<string, Resolved>();

  /** Parses a raw value; on failure records the problem against its source and returns undefined. */
  const parse = (spec: OptionSpec, raw: unknown, source: string, baseDir: string | undefined): { value: unknown } | undefined => {
    try {
      return { value: parseValue(spec, raw, baseDir) };
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      issues.push(`${source}: ${error.message}`);
      return undefined;
    }
  };
  const set = (spec: OptionSpec, raw: unknown, source: string, baseDir: string | undefined): void => {
    const parsed = parse(spec, raw, source, baseDir);
    if (parsed) values.set(spec.key, { value: parsed.value, source });
  };

  for (const spec of OPTIONS) values.set(spec.key, { value: spec.default, source: 'default' });

  for (const [key, raw] of Object.entries(sources.base ?? {})) {
    const spec = OPTIONS_BY_KEY.get(key);
    if (!spec) throw new Error(`internal: unknown base configuration key ${key}`);
    set(spec, raw, `default for this command (${key})`, cwd);
  }

  const file = sources.file ?? env.PICKET_CONFIG;
  if (file !== undefined && file !== '') {
    // Problems name the file as the user wrote it; values resolve against its real directory.
    const path = resolve(cwd, file);
    const yaml = readYamlConfig(path);
    issues.push(...yaml.issues.map((issue) => (issue.startsWith(path) ? file + issue.slice(path.length) : issue)));
    for (const entry of yaml.entries) {
      const spec = OPTIONS_BY_KEY.get(entry.key)!;
      const source = `${file}:${entry.line}: ${entry.key}`;
      if (spec.list && entry.items) {
        // Each item is checked on its own line.
        const items = entry.items.map((item) => parse(spec, [item.value], `${file}:${item.line}: ${entry.key}`, dirname(path)));
        if (items.every((item) => item !== undefined)) {
          values.set(spec.key, { value: items.flatMap((item) => item!.value as unknown[]), source });
        }
      } else {
        set(spec, entry.value, source, dirname(path));
      }
    }
  }

  for (const [name, raw] of Object.entries(env)) {
    // An empty variable counts as unset (compose files often write `PICKET_CRS=` to mean "none").
    if (!name.startsWith('PICKET_') || raw === undefined || raw.trim() === '') continue;
    const spec = OPTIONS_BY_ENV.get(name);
    if (spec) set(spec, raw, name, cwd);
    else if (!(OTHER_ENV as readonly string[]).includes(name) && !IGNORED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      issues.push(`${name}: unknown environment variable${didYouMean(name, [...OPTIONS_BY_ENV.keys(), ...OTHER_ENV])}`);
    }
  }

  // A repeated list flag accumulates; a repeated scalar flag keeps the last value.
  const flagLists = new Map<OptionSpec, unknown[]>();
  for (const { flag, value } of sources.flags ?? []) {
    const spec = OPTIONS_BY_FLAG.get(flag);
    if (!spec) {
      issues.push(`--${flag}: unknown option${didYouMean(flag, OPTIONS_BY_FLAG.keys(), '--')}`);
      continue;
    }
    if (value === true && spec.arg !== undefined) {
      issues.push(`--${flag}: needs a value (${spec.arg})`);
      continue;
    }
    if (!spec.list) {
      set(spec, value, `--${flag}`, cwd);
      continue;
    }
    const parsed = parse(spec, [value], `--${flag}`, cwd);
    if (parsed) flagLists.set(spec, [...(flagLists.get(spec) ?? []), ...(parsed.value as unknown[])]);
  }
  for (const [spec, list] of flagLists) values.set(spec.key, { value: list, source: `--${spec.flag}` });

  const get = <T>(key: string): T => values.get(key)!.value as T;
  const from = (key: string): string => values.get(key)!.source;
  const given = (key: string): boolean => from(key) !== 'default';

  // Cross-field checks.
  if (get<number>('limits.requestBodyNoFiles') > get<number>('limits.requestBody')) {
    issues.push(`${from('limits.requestBodyNoFiles')}: body-nofiles-limit (${get('limits.requestBodyNoFiles')}) must not exceed body-limit (${get('limits.requestBody')}, from ${from('limits.requestBody')})`);
  }
  if (get('rules.crsSetup') !== undefined && get('rules.crs') === undefined) {
    issues.push(`${from('rules.crsSetup')}: a CRS setup file needs a CRS directory (--crs DIR)`);
  }
  const deployment = get<'sidecar' | 'ingress' | undefined>('swarm.deployment');
  if (deployment === undefined) {
    for (const key of ['swarm.service', 'swarm.network', 'swarm.reconcile', 'swarm.labelPrefix']) {
      if (given(key)) issues.push(`${from(key)}: only applies with Swarm discovery (--swarm sidecar|ingress)`);
    }
  } else if (deployment === 'sidecar' && get('swarm.service') === undefined) {
    issues.push(`${from('swarm.deployment')}: sidecar deployment needs the protected service (--swarm-service NAME)`);
  }
  if ((sources.requireUpstream ?? true) && get('mode') !== 'mirror' && get<string[]>('upstreams').length === 0 && deployment === undefined) {
    issues.push(`no upstream: ${get('mode')} mode forwards requests, so give --upstream URL (PICKET_UPSTREAM, upstreams:) or --swarm`);
  }
  const listen = get<ListenAddress>('listen');
  const admin = get<ListenAddress | null>('admin');
  if (admin && admin.port !== 0 && admin.port === listen.port && (admin.host === listen.host || admin.host === '0.0.0.0' || listen.host === '0.0.0.0')) {
    issues.push(`${from('admin')}: the admin listener must not use the proxy's port ${listen.port}`);
  }

  if (issues.length > 0) {
    throw new WafError('WAF_ERR_CONFIG', `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'})`, { details: issues });
  }

  const config: PicketConfig = {
    mode: get('mode'),
    listen,
    admin,
    upstreams: get('upstreams'),
    rules: {
      files: get('rules.files'),
      ...(get('rules.crs') !== undefined ? { crsDir: get<string>('rules.crs') } : {}),
      ...(get('rules.crsSetup') !== undefined ? { crsSetup: get<string>('rules.crsSetup') } : {}),
      paranoiaLevel: get('rules.paranoia'),
      inboundAnomalyThreshold: get('rules.inboundThreshold'),
      outboundAnomalyThreshold: get('rules.outboundThreshold'),
    },
    limits: {
      requestBody: get('limits.requestBody'),
      requestBodyNoFiles: get('limits.requestBodyNoFiles'),
      requestBodyAction: get('limits.requestBodyAction'),
      responseBody: get('limits.responseBody'),
      headerBytes: get('limits.headerBytes'),
      uriLength: get('limits.uriLength'),
      headersTimeoutMs: get('limits.headersTimeout'),
      requestTimeoutMs: get('limits.requestTimeout'),
      upstreamTimeoutMs: get('limits.upstreamTimeout'),
      keepAliveTimeoutMs: get('limits.keepAliveTimeout'),
      bodyBufferBytes: get('limits.bodyBufferBytes'),
      valueCache: get('limits.valueCache'),
    },
    trustedProxies: get('trustedProxies'),
    mirror: { sources: get('mirror.sources'), queueSize: get('mirror.queueSize') },
    audit: { path: get('audit.path'), all: get('audit.all') },
    logLevel: get('logLevel'),
    swarm: deployment === undefined ? null : {
      deployment,
      ...(get('swarm.service') !== undefined ? { service: get<string>('swarm.service') } : {}),
      ...(get('swarm.network') !== undefined ? { network: get<string>('swarm.network') } : {}),
      reconcileMs: get('swarm.reconcile'),
      labelPrefix: get('swarm.labelPrefix'),
    },
    warmUpMs: get('warmUp'),
    workers: get<number | 'auto'>('workers') === 'auto' ? availableParallelism() : get<number>('workers'),
  };
  return deepFreeze(config);
}
