/**
 * HTTP load generators, in two modes; both always stop by themselves
 * (request budget or deadline, whichever is first).
 *
 * - Closed loop (`runLoad`, here, on undici): `connections` workers each send
 *   a request, wait for the whole response, and send the next. Measures peak
 *   throughput; its latencies are those of a saturated server.
 * - Open loop (bench/open-loop.ts, on raw node:net connections): requests are
 *   due at a fixed rate whatever the server does, and latency runs from each
 *   request's *scheduled* time (no coordinated omission); `--rate N` runs it
 *   from here.
 *
 * Requests come from a `RequestSource` (bench/requests.ts: distinct requests
 * from a seeded stream) or are one fixed request (path/method/headers/body).
 *
 * Run alone: node bench/load.ts URL [--connections 16] [--duration 5s] [--max 200000] [--rate N]
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { formatOpenLoop, runOpenLoop } from './open-loop.ts';
import { percentile, sender, type RequestShape } from './send.ts';

export interface LoadOptions extends RequestShape {
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Requests sent before measuring (not counted), to warm connections and JIT. */
  readonly warmupRequests?: number;
  /** Warm-up stops after this long even below `warmupRequests` (default 1000 ms; each connection sends at least one). */
  readonly warmupMs?: number;
  /**
   * Called just before the measured window opens (after the warm-up) and just after every
   * worker finished, so the caller can bracket exactly that window with CPU or steal readings.
   */
  readonly onWindow?: (edge: 'start' | 'end') => void;
}

export interface LoadResult {
  /** Measured requests completed (warm-up excluded). */
  readonly requests: number;
  /** Warm-up requests sent before measuring (count them when dividing a CPU delta that spans the warm-up). */
  readonly warmupRequests: number;
  /** Transport errors (connection refused/reset, timeouts). */
  readonly errors: number;
  /** Responses whose status was not 2xx/3xx. */
  readonly non2xx: number;
  readonly elapsedMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(new URL(options.url).origin, { connections: options.connections, pipelining: 1 });
  const send = sender(pool, options);
  try {
    // Warm-up, not measured, bounded by count and by time (a slow server does 40 req/s);
    // errors here are real configuration problems.
    const warm = options.warmupRequests ?? Math.min(200, options.maxRequests);
    const warmDeadline = performance.now() + (options.warmupMs ?? 1000);
    let warmed = 0;
    await Promise.all(
      Array.from({ length: options.connections }, async (_, w) => {
        for (let i = w; i < warm && (i === w || performance.now() < warmDeadline); i += options.connections) {
          await send();
          warmed++;
        }
      }),
    );
    const latencies = new Float64Array(options.maxRequests);
    let issued = 0;
    let completed = 0;
    let errors = 0;
    let non2xx = 0;
    options.onWindow?.('start');
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
    options.onWindow?.('end');
    const measured = latencies.subarray(0, completed).sort();
    return {
      requests: completed,
      warmupRequests: warmed,
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
      rate: { type: 'string' },
    },
  });
  const url = positionals[0];
  if (!url) {
    process.stderr.write('usage: node bench/load.ts URL [--connections N] [--duration 5s] [--max N] [--method GET] [--rate N]\n');
    process.exit(2);
  }
  if (values.rate !== undefined) {
    const open = await runOpenLoop({
      url,
      method: values.method,
      rate: Number(values.rate),
      durationMs: parseDurationMs(values.duration),
      maxRequests: Number(values.max),
      connections: Math.max(64, Number(values.connections)),
    });
    process.stdout.write(formatOpenLoop(open) + '\n');
    process.exit(0);
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
