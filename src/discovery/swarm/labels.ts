/**
 * Swarm service labels → typed per-service options (docs/swarm-labels.md lists
 * every label). With the default prefix 'picket.':
 *
 *   picket.enable=true            ingress: route this service (sidecar ignores it)
 *   picket.port=8080              container port the app listens on (default 80)
 *   picket.host=a.example,*.b.example  Host header values (empty = any host)
 *   picket.path=/api              path prefix (default '/')
 *   picket.mode=detect            inline | detect | mirror
 *   picket.paranoia=2             CRS blocking paranoia level 1-4
 *   picket.rules=/rules/x.conf    extra rule files inside the picket container
 *   picket.exclude=942100,920350  rule ids removed for this service
 *
 * A label that is present but invalid (or unknown under the prefix, usually a
 * typo) makes the whole service invalid: the caller skips it and logs every
 * error, naming the service and the label. Silently ignoring a mistyped
 * `picket.exclude` or `picket.paranoia` would change protection unnoticed.
 */
import type { Mode } from '../../config/types.ts';
import type { RouteWafOptions } from '../types.ts';

export interface ServiceLabels {
  readonly enable: boolean;
  readonly port: number;
  readonly hosts: readonly string[];
  readonly pathPrefix: string;
  readonly waf: RouteWafOptions;
}

export interface LabelError {
  /** Full label name, e.g. 'picket.port'. */
  readonly label: string;
  readonly value: string;
  readonly reason: string;
}

export type LabelResult =
  | { readonly ok: true; readonly labels: ServiceLabels }
  | { readonly ok: false; readonly errors: readonly LabelError[] };

export const DEFAULT_PORT = 80;

const MODES: readonly Mode[] = ['inline', 'detect', 'mirror'];
// RFC 1123 host names, lower-cased before the check; no port. A leading `*.`
// (one or more labels under a name with a dot) is what the route table matches as a wildcard.
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.${LABEL}\\.${LABEL}|${LABEL})(?:\\.${LABEL})*$`);
const PATH_PREFIX = /^\/[\x21-\x7e]*$/;

type Parser = (value: string) => { value: unknown } | { reason: string };

function parseBool(value: string): { value: boolean } | { reason: string } {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return { value: true };
  if (v === 'false' || v === '0') return { value: false };
  return { reason: 'expected true or false' };
}

function parseInteger(value: string, min: number, max: number): { value: number } | { reason: string } {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return { reason: `expected an integer from ${min} to ${max}` };
  const n = Number(v);
  if (n < min || n > max) return { reason: `expected an integer from ${min} to ${max}` };
  return { value: n };
}

/** Splits a comma list; empty items (a trailing comma) are an error, not ignored. */
function splitList(value: string): string[] | null {
  const items = value.split(',').map((s) => s.trim());
  return items.some((s) => s === '') ? null : items;
}

const PARSERS: Readonly<Record<string, Parser>> = {
  enable: parseBool,
  port: (v) => parseInteger(v, 1, 65535),
  host: (v) => {
    const items = splitList(v.toLowerCase());
    if (items === null) return { reason: 'expected a comma-separated list of host names without empty items' };
    const bad = items.find((h) => !HOSTNAME.test(h));
    if (bad !== undefined) return { reason: `'${bad}' is not a host name (no port or scheme; a wildcard is '*.example.com')` };
    return { value: [...new Set(items)] };
  },
  path: (v) => {
    const p = v.trim();
    if (!PATH_PREFIX.test(p) || p.includes('?') || p.includes('#')) {
      return { reason: "expected a path prefix starting with '/' (no spaces, query or fragment)" };
    }
    return { value: p };
  },
  mode: (v) => {
    const m = v.trim().toLowerCase();
    return (MODES as readonly string[]).includes(m) ? { value: m } : { reason: `expected one of ${MODES.join(', ')}` };
  },
  paranoia: (v) => parseInteger(v, 1, 4),
  rules: (v) => {
    const items = splitList(v);
    if (items === null) return { reason: 'expected a comma-separated list of files without empty items' };
    const bad = items.find((f) => !f.startsWith('/') || f.split('/').includes('..'));
    if (bad !== undefined) return { reason: `'${bad}' must be an absolute path inside the picket container, without '..'` };
    return { value: items };
  },
  exclude: (v) => {
    const items = splitList(v);
    if (items === null) return { reason: 'expected a comma-separated list of rule ids without empty items' };
    const ids: number[] = [];
    for (const item of items) {
      const id = parseInteger(item, 1, 999_999_999);
      if ('reason' in id) return { reason: `'${item}' is not a rule id` };
      ids.push(id.value);
    }
    return { value: [...new Set(ids)] };
  },
};

/**
 * Reads the labels under `prefix` (e.g. 'picket.') from one service's labels.
 * Labels outside the prefix are ignored.
 */
export function parseServiceLabels(labels: Readonly<Record<string, string>> | undefined, prefix: string): LabelResult {
  const errors: LabelError[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [label, value] of Object.entries(labels ?? {})) {
    if (!label.startsWith(prefix)) continue;
    const key = label.slice(prefix.length);
    const parser = PARSERS[key];
    if (parser === undefined) {
      errors.push({ label, value, reason: `unknown label (known: ${Object.keys(PARSERS).map((k) => prefix + k).join(', ')})` });
      continue;
    }
    const result = parser(value);
    if ('reason' in result) errors.push({ label, value, reason: result.reason });
    else parsed[key] = result.value;
  }
  if (errors.length > 0) return { ok: false, errors };

  const waf: { -readonly [K in keyof RouteWafOptions]: RouteWafOptions[K] } = {};
  if (parsed.mode !== undefined) waf.mode = parsed.mode as Mode;
  if (parsed.paranoia !== undefined) waf.paranoiaLevel = parsed.paranoia as number;
  if (parsed.rules !== undefined) waf.extraRules = parsed.rules as string[];
  if (parsed.exclude !== undefined) waf.removeRuleIds = parsed.exclude as number[];
  return {
    ok: true,
    labels: {
      enable: (parsed.enable as boolean | undefined) ?? false,
      port: (parsed.port as number | undefined) ?? DEFAULT_PORT,
      hosts: (parsed.host as string[] | undefined) ?? [],
      pathPrefix: (parsed.path as string | undefined) ?? '/',
      waf,
    },
  };
}
