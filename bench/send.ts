/**
 * What the load generators share: the shape of the request a run sends (one
 * fixed request, or the next one from a RequestSource) and percentiles; and
 * for the closed loop (bench/load.ts), sending on an undici Pool and reading
 * the whole response (the open loop has its own lean sender,
 * bench/open-loop.ts).
 */
import type { Pool } from 'undici';
import type { RequestSource } from './requests.ts';

export interface RequestShape {
  readonly url: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Where each request comes from; overrides method/path/headers/body. */
  readonly requests?: RequestSource;
}

/** The p-th percentile (nearest rank) of ascending samples; 0 when there are none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Sends one request on the pool and reads the whole response; resolves to its status. */
export function sender(pool: Pool, options: RequestShape): () => Promise<number> {
  const url = new URL(options.url);
  const fixedPath = options.path ?? `${url.pathname}${url.search}`;
  const fixedMethod = (options.method ?? 'GET') as 'GET';
  const next = options.requests;
  return async () => {
    let res;
    if (next) {
      const r = next();
      res = await pool.request({ path: r.path, method: r.method as 'GET', headers: r.headers, ...(r.body ? { body: r.body } : {}) });
    } else {
      res = await pool.request({
        path: fixedPath,
        method: fixedMethod,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      });
    }
    await res.body.dump();
    return res.statusCode;
  };
}

