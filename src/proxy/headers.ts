/**
 * Header rewriting at the proxy boundary, on flat raw-header arrays
 * ([name, value, name, value, …], names as sent, values as latin1 byte strings).
 *
 * - Hop-by-hop headers (RFC 9110 §7.6.1) never cross: Connection and every
 *   header it lists, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade,
 *   Proxy-*. Expect is answered by node itself (100-continue) and not forwarded.
 * - X-Forwarded-For/-Proto/-Host and X-Real-IP are set by picket. From a
 *   trusted proxy the incoming chain is extended; from anyone else incoming
 *   values are dropped, because a client could write anything there.
 * - X-Request-Id carries the transaction id both ways.
 */

const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
]);

/** Names picket writes itself on the way upstream. */
const FORWARDING = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'forwarded']);

export const REQUEST_ID_HEADER = 'X-Request-Id';

export interface ForwardedInfo {
  readonly requestId: string;
  /** The TCP peer (the client, or the proxy in front of picket). */
  readonly peerAddress: string;
  /** The client as picket determined it (equal to peerAddress unless the peer is trusted). */
  readonly clientAddress: string;
  /** Whether the peer is a trusted proxy, whose X-Forwarded-* picket extends. */
  readonly trustedPeer: boolean;
  /** Scheme the client used to reach picket. */
  readonly proto: string;
  /** Host header the client sent. */
  readonly host: string;
  /**
   * Sent upstream as Host instead of the client's Host header: the authority
   * of an absolute-form target, which RFC 9112 §3.2.2 says overrides Host, so
   * the upstream sees the host picket routed on.
   */
  readonly replaceHost?: string;
}

/**
 * Lower-cased names that must not cross this hop: the fixed list plus those
 * named in Connection. When Connection names nothing beyond the fixed list
 * (`keep-alive`, `upgrade`: nearly every message) the shared fixed set is
 * returned (callers only read it), so most messages copy nothing.
 */
export function hopByHopNames(raw: readonly string[]): ReadonlySet<string> {
  let names: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1]!.split(',')) {
      const listed = token.trim().toLowerCase();
      if (!listed || HOP_BY_HOP.has(listed)) continue;
      names ??= new Set(HOP_BY_HOP);
      names.add(listed);
    }
  }
  return names ?? HOP_BY_HOP;
}

function isHopByHop(lower: string, names: ReadonlySet<string>): boolean {
  return names.has(lower) || lower.startsWith('proxy-');
}

/** Values of one header (case-insensitive) in a raw array, in order. */
export function rawValues(raw: readonly string[], name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    // Length first: latin1 names keep their length when lower-cased, and most differ in it.
    if (raw[i]!.length === lower.length && raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!);
  }
  return values;
}

/**
 * Headers to send upstream. `upgrade` keeps the Upgrade header and sends
 * `Connection: Upgrade` (WebSocket handshakes); otherwise both are removed.
 */
export function upstreamRequestHeaders(raw: readonly string[], info: ForwardedInfo, upgrade = false): string[] {
  const drop = hopByHopNames(raw);
  const out: string[] = [];
  const incomingFor: string[] = [];
  let incomingProto: string | undefined;
  let incomingHost: string | undefined;
  let realIp: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (upgrade && lower === 'upgrade') {
      out.push(name, value);
      continue;
    }
    if (isHopByHop(lower, drop) || lower === 'expect' || lower === 'x-request-id') continue;
    if (lower === 'host' && info.replaceHost !== undefined) continue;
    if (FORWARDING.has(lower)) {
      if (!info.trustedPeer) continue;
      if (lower === 'x-forwarded-for') incomingFor.push(value);
      else if (lower === 'x-forwarded-proto') incomingProto ??= value;
      else if (lower === 'x-forwarded-host') incomingHost ??= value;
      else if (lower === 'x-real-ip') realIp ??= value;
      else out.push(name, value); // Forwarded from a trusted proxy passes unchanged
      continue;
    }
    out.push(name, value);
  }
  if (info.replaceHost !== undefined) out.unshift('Host', info.replaceHost);
  if (upgrade) out.push('Connection', 'Upgrade');
  const chain = incomingFor.length === 0 ? info.peerAddress : `${incomingFor.join(', ')}, ${info.peerAddress}`;
  out.push(
    'X-Forwarded-For', chain,
    'X-Forwarded-Proto', incomingProto ?? info.proto,
    'X-Forwarded-Host', incomingHost ?? info.host,
    'X-Real-IP', realIp ?? info.clientAddress,
    REQUEST_ID_HEADER, info.requestId,
  );
  return out;
}

/** Upstream response headers for the client: hop-by-hop removed, X-Request-Id set to ours. */
export function clientResponseHeaders(raw: readonly string[], requestId: string, upgrade = false): string[] {
  const drop = hopByHopNames(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (upgrade && lower === 'upgrade') {
      out.push(name, raw[i + 1]!);
      continue;
    }
    if (isHopByHop(lower, drop) || lower === 'x-request-id') continue;
    out.push(name, raw[i + 1]!);
  }
  if (upgrade) out.push('Connection', 'Upgrade');
  out.push(REQUEST_ID_HEADER, requestId);
  return out;
}

/** undici's raw response headers (Buffers) as latin1 strings, the engine's byte-string form. */
export function rawToStrings(raw: readonly (Buffer | string)[]): string[] {
  const out = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i]!;
    out[i] = typeof item === 'string' ? item : item.toString('latin1');
  }
  return out;
}
