/**
 * The route table: which route (and so which endpoints and which ruleset) a
 * request belongs to, rebuilt from each discovery Snapshot.
 *
 * Matching (ingress): the Host header without its port, exact names first,
 * then `*.suffix` wildcards, then routes without hosts; within those, the
 * longest path prefix that ends on a segment boundary (`/api` matches `/api`,
 * `/api/x`, `/api?q` but not `/apix`). The raw, undecoded path is compared.
 *
 * Pools: one undici Pool (keep-alive) per endpoint origin, shared by every
 * route that lists it and kept across snapshots while the origin stays. A
 * snapshot is applied by building a new table and swapping one reference, so
 * a request sees either the old table or the new one. Pools of endpoints that
 * disappeared are closed with Pool.close(), which lets their in-flight
 * requests finish first.
 */
import { Pool } from 'undici';
import type { Route, Snapshot } from '../discovery/types.ts';
import { Balancer, Endpoint } from './balancer.ts';
import type { BalancingStrategy, Logger } from './types.ts';

export interface RouteEntry {
  readonly route: Route;
  readonly balancer: Balancer;
}

interface Table {
  readonly exact: ReadonlyMap<string, readonly RouteEntry[]>;
  readonly wildcard: readonly (readonly [suffix: string, entry: RouteEntry])[];
  readonly anyHost: readonly RouteEntry[];
}

export interface UpstreamsOptions {
  readonly strategy: BalancingStrategy;
  readonly ejectMs: number;
  /** Upstream response-header wait (504 after it) and idle time between body chunks. */
  readonly upstreamTimeoutMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Builds the dispatcher for an origin (tests may substitute one). */
  readonly createDispatcher?: (origin: string) => import('undici').Dispatcher;
}

const EMPTY: Table = { exact: new Map(), wildcard: [], anyHost: [] };

export class Upstreams {
  #table: Table = EMPTY;
  #endpoints = new Map<string, Endpoint>();
  readonly #options: UpstreamsOptions;
  readonly #now: () => number;

  constructor(options: UpstreamsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Replaces the whole table. Endpoints that are gone are drained and closed in the background. */
  apply(snapshot: Snapshot): void {
    const next = new Map<string, Endpoint>();
    const exact = new Map<string, RouteEntry[]>();
    const wildcard: [string, RouteEntry][] = [];
    const anyHost: RouteEntry[] = [];
    for (const route of snapshot.routes) {
      const endpoints: Endpoint[] = [];
      for (const raw of route.endpoints) {
        const origin = normalizeOrigin(raw);
        let endpoint = next.get(origin) ?? this.#endpoints.get(origin);
        if (!endpoint) endpoint = new Endpoint(origin, this.#dispatcher(origin));
        next.set(origin, endpoint);
        if (!endpoints.includes(endpoint)) endpoints.push(endpoint);
      }
      const entry: RouteEntry = {
        route,
        balancer: new Balancer(endpoints, { strategy: this.#options.strategy, ejectMs: this.#options.ejectMs, now: this.#now }),
      };
      if (route.hosts.length === 0) anyHost.push(entry);
      for (const host of route.hosts) {
        const name = normalizeHost(host);
        if (name.startsWith('*.')) wildcard.push([name.slice(1), entry]);
        else exact.set(name, [...(exact.get(name) ?? []), entry]);
      }
    }
    const byPrefix = (a: RouteEntry, b: RouteEntry): number => b.route.pathPrefix.length - a.route.pathPrefix.length;
    for (const list of exact.values()) list.sort(byPrefix);
    anyHost.sort(byPrefix);
    wildcard.sort((a, b) => b[0].length - a[0].length || byPrefix(a[1], b[1]));

    const removed = [...this.#endpoints.values()].filter((e) => !next.has(e.origin));
    this.#table = { exact, wildcard, anyHost };
    this.#endpoints = next;
    for (const endpoint of removed) this.#retire(endpoint);
  }

  /** The route for a Host header value and a request-target; undefined when none matches. */
  match(hostHeader: string | undefined, target: string): RouteEntry | undefined {
    const table = this.#table;
    const host = normalizeHost(hostHeader ?? '');
    const path = pathOf(target);
    const exact = table.exact.get(host);
    const found = exact && longestPrefix(exact, path);
    if (found) return found;
    for (const [suffix, entry] of table.wildcard) {
      if (host.endsWith(suffix) && host.length > suffix.length && prefixMatches(entry.route.pathPrefix, path)) return entry;
    }
    return longestPrefix(table.anyHost, path);
  }

  /** Every endpoint currently routed to (for tests and the admin view). */
  get origins(): string[] {
    return [...this.#endpoints.keys()];
  }

  /** Closes every pool: graceful (in-flight requests finish) unless `force`. */
  async close(force = false): Promise<void> {
    const endpoints = [...this.#endpoints.values()];
    this.#endpoints = new Map();
    this.#table = EMPTY;
    await Promise.all(
      endpoints.map((e) => (force ? e.dispatcher.destroy() : e.dispatcher.close()).catch(() => undefined)),
    );
  }

  #dispatcher(origin: string): import('undici').Dispatcher {
    if (this.#options.createDispatcher) return this.#options.createDispatcher(origin);
    const timeout = this.#options.upstreamTimeoutMs;
    return new Pool(origin, {
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connectTimeout: Math.min(timeout, 10_000),
      keepAliveTimeout: 4_000,
    });
  }

  #retire(endpoint: Endpoint): void {
    endpoint.dispatcher.close().catch((error: unknown) => {
      this.#options.logger.warn({ err: error, upstream: endpoint.origin }, 'closing a removed upstream pool failed');
    });
  }
}

function longestPrefix(entries: readonly RouteEntry[], path: string): RouteEntry | undefined {
  for (const entry of entries) if (prefixMatches(entry.route.pathPrefix, path)) return entry;
  return undefined;
}

/** Segment-aware prefix test on the raw path. */
export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '' || prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  return prefix.endsWith('/') || path.length === prefix.length || path[prefix.length] === '/';
}

/** Host header → lower-case name without port or trailing dot (`Example.COM:8080` → `example.com`, `[::1]:80` → `[::1]`). */
export function normalizeHost(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    name = end > 0 ? name.slice(0, end + 1) : name;
  } else {
    const colon = name.indexOf(':');
    if (colon >= 0) name = name.slice(0, colon);
  }
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The path of a request-target (origin-form or absolute-form), without the query. */
export function pathOf(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('://');
    if (scheme > 0) {
      const slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? '/' : path.slice(slash);
    }
  }
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/** `http://Host:80/` → `http://host`; rejects anything that is not an http(s) origin. */
export function normalizeOrigin(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`upstream must be an http:// or https:// origin: ${JSON.stringify(raw)}`);
  }
  return url.origin;
}
