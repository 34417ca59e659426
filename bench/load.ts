/**
 * A small HTTP load generator on undici, in two modes; both always stop by
 * themselves (request budget or deadline, whichever is first).
 *
 * - Closed loop (`runLoad`): `connections` workers each send a request, wait
 *   for the whole response, and send the next. Measures peak throughput;
 *   its latencies are those of a saturated server.
 * - Open loop (`runOpenLoop`): requests are due at a fixed rate whatever the
 *   server does, and latency runs from each request's *scheduled* time, so a
 *   slow server cannot hide its queue by slowing the generator down
 *   (no coordinated omission).
 *
 * Requests come from a `RequestSource` (bench/requests.ts: distinct requests
 * from a seeded stream) or are one fixed request (path/method/headers/body).
 *
 * Run alone: node bench/load.ts URL [--connections 16] [--duration 5s] [--max 200000] [--rate N]
 */
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { RequestSource } from './requests.ts';

export interface LoadOptions {
  readonly url: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Where each request comes from; overrides method/path/headers/body. */
  readonly requests?: RequestSource;
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Requests sent before measuring (not counted), to warm connections and JIT. */
  readonly warmupRequests?: number;
  /** Warm-up stops after this long even below `warmupRequests` (default 1000 ms; each connection sends at least one). */
  readonly warmupMs?: number;
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

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

type RequestShape = Pick<LoadOptions, 'url' | 'method' | 'path' | 'headers' | 'body' | 'requests'>;

/** Sends one request on the pool and reads the whole response; resolves to its status. */
function sender(pool: Pool, options: RequestShape): () => Promise<number> {
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

export interface OpenLoopOptions extends RequestShape {
  /** Requests per second to schedule. */
  readonly rate: number;
  readonly durationMs: number;
  /** Cap on scheduled requests (the schedule is min(rate × duration, maxRequests)). */
  readonly maxRequests: number;
  /** Pool size: enough that the generator never waits for a free connection (default 64). */
  readonly connections?: number;
  /** How long in-flight requests may take after the last send before they count as errors (default 10 s). */
  readonly drainMs?: number;
}

export interface OpenLoopResult {
  readonly scheduled: number;
  /** Responses received (any status). */
  readonly completed: number;
  readonly errors: number;
  readonly non2xx: number;
  /**
   * Requests that could not go out on time: sent more than LATE_MS after their
   * scheduled time (the generator stalled) or while every connection was busy
   * (queued in the pool). They are still sent and measured, never skipped.
   */
  readonly late: number;
  readonly targetRate: number;
  /** Responses per second over the schedule plus the tail that drained after it. */
  readonly achievedRate: number;
  /** Latency from the scheduled send time to the end of the response. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** The generator's own lag: p99 of (actual send − scheduled send). Part of every latency above. */
  readonly sendLagP99Ms: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
}

/** A send this much later than its schedule counts as late (timers tick in ~1 ms steps). */
export const LATE_MS = 5;

/**
 * Fixed-arrival-rate load: request k is due at start + k / rate. A ~1 ms
 * timer sends every request that has come due, in order, each stamped with
 * its own scheduled time, so timer granularity and generator stalls count
 * against the measured latency rather than being hidden.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const connections = options.connections ?? 64;
  const pool = new Pool(new URL(options.url).origin, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const send = sender(pool, options);
  try {
    // Warm-up, not measured: open some connections so the first scheduled requests do not pay the connect.
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 4; i++) await send();
    }));
    const total = Math.max(1, Math.min(options.maxRequests, Math.floor((options.rate * options.durationMs) / 1000)));
    const interval = 1000 / options.rate;
    const latencies = new Float64Array(total);
    const lags = new Float64Array(total);
    let sent = 0;
    let completed = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let errors = 0;
    let non2xx = 0;
    let late = 0;
    let lastDone = 0;
    const start = performance.now() + 2;
    let finish: () => void = () => {};
    const allDone = new Promise<void>((r) => (finish = r));
    const settle = (): void => {
      inFlight--;
      if (sent === total && inFlight === 0) finish();
    };
    const fire = (scheduled: number, now: number): void => {
      if (now - scheduled > LATE_MS || inFlight >= connections) late++;
      lags[sent] = now - scheduled;
      inFlight++;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      send().then(
        (status) => {
          lastDone = performance.now();
          latencies[completed++] = lastDone - scheduled;
          if (status >= 400) non2xx++;
          settle();
        },
        () => {
          errors++;
          settle();
        },
      );
    };
    await new Promise<void>((scheduleDone) => {
      const tick = (): void => {
        const now = performance.now();
        while (sent < total) {
          const scheduled = start + sent * interval;
          if (scheduled > now) break;
          fire(scheduled, now);
          sent++;
        }
        if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now() - 0.5));
        else scheduleDone();
      };
      setTimeout(tick, 2);
    });
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        allDone.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), options.drainMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      // Whatever is still out after the drain window is an error, not a silent drop.
      if (!drained) errors += inFlight;
    }
    const measured = latencies.subarray(0, completed).sort();
    const lagSorted = lags.subarray(0, sent).sort();
    const spanMs = Math.max(lastDone, start + (total - 1) * interval) - start;
    return {
      scheduled: total,
      completed,
      errors,
      non2xx,
      late,
      targetRate: options.rate,
      achievedRate: spanMs > 0 ? (completed / spanMs) * 1000 : 0,
      p50Ms: percentile(measured, 50),
      p99Ms: percentile(measured, 99),
      p999Ms: percentile(measured, 99.9),
      maxMs: measured.length > 0 ? (measured[measured.length - 1] ?? 0) : 0,
      sendLagP99Ms: percentile(lagSorted, 99),
      maxInFlight,
    };
  } finally {
    await pool.destroy();
  }
}

export function formatOpenLoop(r: OpenLoopResult): string {
  return (
    `open loop ${Math.round(r.targetRate)} req/s target, ${Math.round(r.achievedRate)} achieved, p50 ${r.p50Ms.toFixed(2)} ms, ` +
    `p99 ${r.p99Ms.toFixed(2)} ms, p99.9 ${r.p999Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(2)} ms, ${r.completed}/${r.scheduled} done, ` +
    `${r.late} late, send lag p99 ${r.sendLagP99Ms.toFixed(2)} ms, max in flight ${r.maxInFlight}, ${r.errors} errors, ${r.non2xx} non-2xx`
  );
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
