/**
 * Open-loop (fixed arrival rate) HTTP load on undici: request k is due at
 * start + k / rate whatever the server does, and latency runs from each
 * request's *scheduled* time, so a slow server cannot hide its queue by
 * slowing the generator down (no coordinated omission). Requests that find
 * every connection busy, or go out late, are counted as late and still sent,
 * never skipped. Bounded by the schedule (rate × duration, capped) and a
 * drain window.
 *
 * Run alone: node bench/load.ts URL --rate N [--duration 5s]
 */
import { Pool } from 'undici';
import { percentile, sender, type RequestShape } from './send.ts';

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
 * A ~1 ms timer sends every request that has come due, in order, each
 * stamped with its own scheduled time, so timer granularity and generator
 * stalls count against the measured latency rather than being hidden.
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
