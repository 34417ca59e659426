/**
 * A small closed-loop HTTP load generator on undici: `connections` workers
 * each send a request, wait for the whole response, and send the next,
 * until the duration OR the request budget runs out, whichever is first.
 * It always stops by itself. Reports requests/s, p50/p99 latency and errors.
 *
 * Run alone: node bench/load.ts URL [--connections 16] [--duration 5s] [--max 200000]
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

export interface LoadOptions {
  readonly url: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Requests sent before measuring (not counted), to warm connections and JIT. */
  readonly warmupRequests?: number;
}

export interface LoadResult {
  readonly requests: number;
  /** Transport errors (connection refused/reset, timeouts). */
  readonly errors: number;
  /** Responses whose status was not 2xx/3xx. */
  readonly non2xx: number;
  readonly elapsedMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const path = options.path ?? `${url.pathname}${url.search}`;
  const method = (options.method ?? 'GET') as 'GET';
  const send = async (): Promise<number> => {
    const res = await pool.request({
      path,
      method,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    await res.body.dump();
    return res.statusCode;
  };
  try {
    // Warm-up, not measured; errors here are real configuration problems.
    const warm = options.warmupRequests ?? Math.min(200, options.maxRequests);
    await Promise.all(
      Array.from({ length: options.connections }, async (_, w) => {
        for (let i = w; i < warm; i += options.connections) await send();
      }),
    );
    const latencies = new Float64Array(options.maxRequests);
    let issued = 0;
    let completed = 0;
    let errors = 0;
    let non2xx = 0;
    const started = performance.now();
    const deadline = started + options.durationMs;
    const worker = async (): Promise<void> => {
      while (issued < options.maxRequests && performance.now() < deadline) {
        issued++;
        const t0 = performance.now();
        try {
          const status = await send();
          if (status >= 400) non2xx++;
          latencies[completed++] = performance.now() - t0;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
    const elapsedMs = performance.now() - started;
    const measured = latencies.subarray(0, completed).sort();
    return {
      requests: completed,
      errors,
      non2xx,
      elapsedMs,
      rps: (completed / elapsedMs) * 1000,
      p50Ms: percentile(measured, 50),
      p99Ms: percentile(measured, 99),
    };
  } finally {
    await pool.close();
  }
}

export function formatLoad(r: LoadResult): string {
  return `${Math.round(r.rps)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx`;
}

/** Parses 5s / 500ms / 5000 (ms). */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) throw new Error(`bad duration ${text}`);
  return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
}

/** Load settings of a bench run on its own (`node bench/x.bench.ts --duration 4s --connections 16 --max N`). */
export interface StandaloneLoadArgs {
  readonly durationMs: number;
  readonly connections: number;
  readonly maxRequests: number;
  readonly log: (line: string) => void;
}

export function standaloneLoadArgs(): StandaloneLoadArgs {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '4s' },
      connections: { type: 'string', default: '16' },
      max: { type: 'string', default: '200000' },
    },
  });
  return {
    durationMs: parseDurationMs(values.duration),
    connections: Number(values.connections),
    maxRequests: Number(values.max),
    log: (line) => process.stderr.write(line + '\n'),
  };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      connections: { type: 'string', default: '16' },
      duration: { type: 'string', default: '5s' },
      max: { type: 'string', default: '200000' },
      method: { type: 'string', default: 'GET' },
    },
  });
  const url = positionals[0];
  if (!url) {
    process.stderr.write('usage: node bench/load.ts URL [--connections N] [--duration 5s] [--max N] [--method GET]\n');
    process.exit(2);
  }
  const result = await runLoad({
    url,
    method: values.method,
    connections: Number(values.connections),
    durationMs: parseDurationMs(values.duration),
    maxRequests: Number(values.max),
  });
  process.stdout.write(formatLoad(result) + '\n');
}
