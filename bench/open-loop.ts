/**
 * Open-loop (fixed arrival rate) HTTP/1.1 load on plain node:net
 * connections: request k is due at start + k / rate whatever the server
 * does, and latency runs from each request's *scheduled* time, so a slow
 * server cannot hide its queue by slowing the generator down (no
 * coordinated omission).
 *
 * The generator is kept lean because it shares its CPU with the backend and
 * its own delays are part of every latency it reports:
 * - every request is serialized to one Buffer before the run (bench/http1.ts),
 *   so sending is one socket write;
 * - a fixed pool of connections (bench/raw-pool.ts) is opened and warmed with
 *   one request each before the schedule starts; one request in flight per
 *   connection, no pipelining; a connection the server closes is replaced;
 * - responses are framed by a minimal reader (Content-Length, chunked, or
 *   until close) that never copies a body.
 *
 * Requests that find every connection busy wait for the next free one; they,
 * and requests the generator hands over more than LATE_MS after their time,
 * are counted as late and still measured, never skipped. Every scheduled request ends as a response
 * or an error (refused/reset connection, malformed response, no response in
 * time, or still out when the drain window closes). Bounded by the schedule
 * (rate × duration, capped by maxRequests) plus the drain window.
 *
 * Run alone: node bench/load.ts URL --rate N [--duration 5s]
 */
import { serializeRequest } from './http1.ts';
import { RawPool } from './raw-pool.ts';
import type { BenchRequest, RequestSource } from './requests.ts';
import { percentile, type RequestShape } from './send.ts';

export interface OpenLoopOptions extends RequestShape {
  /** Requests per second to schedule. */
  readonly rate: number;
  readonly durationMs: number;
  /** Cap on scheduled requests (the schedule is min(rate × duration, maxRequests)). */
  readonly maxRequests: number;
  /** Connections: enough that requests never wait for a free one (default 64). */
  readonly connections?: number;
  /**
   * How long a request may go without its response, and how long in-flight
   * requests may take after the last send, before they count as errors (default 10 s).
   */
  readonly drainMs?: number;
  /** Called just before the schedule starts and just after it drains (to bracket CPU or steal readings). */
  readonly onWindow?: (edge: 'start' | 'end') => void;
}

export interface OpenLoopResult {
  readonly scheduled: number;
  /** Responses received (any status). */
  readonly completed: number;
  /** Requests without a response: transport errors, malformed responses, timeouts, still out at the end. */
  readonly errors: number;
  /** The first error's reason, for the log (null without errors). */
  readonly firstError: string | null;
  /** Responses with status 400 or above. */
  readonly non2xx: number;
  /**
   * Requests that could not go out on time: handed over more than LATE_MS
   * after their scheduled time (the generator stalled), or made to wait
   * because every connection was busy (the server is behind). They are
   * still sent and measured, never skipped.
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
  /**
   * The generator's own lag: p99 of (time the schedule handed the request over − scheduled time);
   * for a request with a free connection that is when it was written. Part of every latency above.
   */
  readonly sendLagP99Ms: number;
  /** Most requests in flight (written or waiting) at once. */
  readonly maxInFlight: number;
  /** Connections opened during the run to replace ones the server closed or reset. */
  readonly reopened: number;
}

/** A send this much later than its schedule counts as late (timers tick in ~1 ms steps). */
export const LATE_MS = 5;

/** The requests a run sends: from the source, or the one fixed request of the options. */
function requestSource(options: RequestShape): RequestSource {
  if (options.requests) return options.requests;
  const url = new URL(options.url);
  const fixed: BenchRequest = {
    name: 'fixed',
    method: options.method ?? 'GET',
    path: options.path ?? `${url.pathname}${url.search}`,
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: Buffer.from(options.body) } : {}),
  };
  return () => fixed;
}

/**
 * Opens and warms the pool, then a ~1 ms timer writes every request that
 * has come due, in order, each stamped with its own scheduled time, so timer
 * granularity and generator stalls count against the measured latency
 * rather than being hidden.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  if (!(options.rate > 0)) throw new Error(`rate must be positive, got ${options.rate}`);
  const connections = options.connections ?? 64;
  const drainMs = options.drainMs ?? 10_000;
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw new Error(`open loop speaks plain HTTP/1.1 only, got ${url.protocol}`);
  const host = url.host;
  const total = Math.max(1, Math.min(options.maxRequests, Math.floor((options.rate * options.durationMs) / 1000)));

  // Every request on the wire before anything runs: warm-up (one per connection) first, then the schedule.
  const next = requestSource(options);
  const warmup = Array.from({ length: connections }, () => serializeRequest(next(), host));
  const schedule = Array.from({ length: total }, () => serializeRequest(next(), host));

  const interval = 1000 / options.rate;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  const scheduledAt = new Float64Array(total);
  let measuring = false;
  let sent = 0;
  let completed = 0;
  let outstanding = 0;
  let maxInFlight = 0;
  let errors = 0;
  let firstError: string | null = null;
  let non2xx = 0;
  let late = 0;
  let lastDone = 0;
  let warmLeft = warmup.length;
  let warmError: string | null = null;
  let onWarm: () => void = () => {};
  let onDrained: () => void = () => {};

  const pool = new RawPool(
    { host: url.hostname, port: Number(url.port || 80), connections, timeoutMs: drainMs },
    {
      done(id, status, error) {
        if (!measuring) {
          // Warm-up: not measured, but a failure here is a configuration problem, not a latency figure.
          if (error !== null) warmError ??= error;
          if (--warmLeft === 0) onWarm();
          return;
        }
        outstanding--;
        if (error !== null) {
          errors++;
          firstError ??= `${error} (request ${id})`;
        } else {
          lastDone = performance.now();
          latencies[completed++] = lastDone - (scheduledAt[id] ?? 0);
          if (status >= 400) non2xx++;
        }
        if (sent === total && outstanding === 0) onDrained();
      },
    },
  );
  await pool.open();
  try {
    await new Promise<void>((resolve) => {
      onWarm = resolve;
      warmup.forEach((request, i) => pool.send(i, request));
    });
    if (warmError !== null) throw new Error(`open loop warm-up against ${options.url} failed: ${warmError}`);
    measuring = true;
    options.onWindow?.('start');
    const start = performance.now() + 2;
    const allDone = new Promise<void>((resolve) => (onDrained = resolve));
    await new Promise<void>((scheduleDone) => {
      const tick = (): void => {
        const now = performance.now();
        while (sent < total) {
          const at = start + sent * interval;
          if (at > now) break;
          scheduledAt[sent] = at;
          lags[sent] = now - at;
          outstanding++;
          if (outstanding > maxInFlight) maxInFlight = outstanding;
          // Late: the generator itself was late, or every connection was busy (the request waits, still measured).
          if (!pool.send(sent, schedule[sent]!) || now - at > LATE_MS) late++;
          sent++;
        }
        if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now() - 0.5));
        else scheduleDone();
      };
      setTimeout(tick, 2);
    });
    if (outstanding > 0) {
      // The pool times out each request after drainMs; this bound only guards against a pool bug.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([allDone, new Promise<void>((r) => (timer = setTimeout(r, drainMs + 1000)))]);
      clearTimeout(timer);
    }
    options.onWindow?.('end');
    // Whatever is still out now is an error, not a silent drop.
    const abandoned = pool.close();
    if (abandoned > 0) {
      errors += abandoned;
      firstError ??= `${abandoned} requests still out after the drain window`;
    }
    const measured = latencies.subarray(0, completed).sort();
    const lagSorted = lags.subarray(0, sent).sort();
    const spanMs = Math.max(lastDone, start + (total - 1) * interval) - start;
    return {
      scheduled: total,
      completed,
      errors,
      firstError,
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
      reopened: pool.reopened,
    };
  } finally {
    pool.close();
  }
}

export function formatOpenLoop(r: OpenLoopResult): string {
  return (
    `open loop ${Math.round(r.targetRate)} req/s target, ${Math.round(r.achievedRate)} achieved, p50 ${r.p50Ms.toFixed(2)} ms, ` +
    `p99 ${r.p99Ms.toFixed(2)} ms, p99.9 ${r.p999Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(2)} ms, ${r.completed}/${r.scheduled} done, ` +
    `${r.late} late, send lag p99 ${r.sendLagP99Ms.toFixed(2)} ms, max in flight ${r.maxInFlight}, ${r.reopened} reopened, ` +
    `${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}, ${r.non2xx} non-2xx`
  );
}
