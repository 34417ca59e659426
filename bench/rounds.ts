/**
 * Interleaved rounds for comparing two servers on a noisy machine: instead
 * of one long window per server (where a noisy minute lowers one server's
 * figure and skews the ratio), each round measures both servers back to
 * back, alternating which goes first (AB, BA, AB, ...), and the comparison
 * is made per round. Pure helpers: the order, medians, and the summary of
 * per-round ratios.
 */

/** Round `round` (from 0) runs the engines in this order: even rounds as given, odd rounds reversed. */
export function roundOrder<T>(round: number, engines: readonly T[]): T[] {
  return round % 2 === 0 ? [...engines] : [...engines].reverse();
}

/** The median of `values` (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The round whose `key` is the median (for an even count, the lower of the
 * two middle rounds: the conservative one), so a table can show that
 * round's other figures beside its median. Undefined for no rounds.
 */
export function medianRound<R>(rounds: readonly R[], key: (round: R) => number): R | undefined {
  const sorted = [...rounds].sort((a, b) => key(a) - key(b));
  return sorted[(sorted.length - 1) >> 1];
}

export interface RatioSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median and range of per-round ratios a[i] / b[i]; rounds where either side is missing or zero are left out. */
export function ratioSummary(a: readonly number[], b: readonly number[]): RatioSummary | null {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isFinite(x) && Number.isFinite(y) && y > 0) ratios.push(x / y);
  }
  if (ratios.length === 0) return null;
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** "5.62 (4.91–6.10)"; a single round shows just its ratio. */
export function formatRatio(summary: RatioSummary, digits = 2): string {
  const f = (n: number): string => n.toFixed(digits);
  return summary.min === summary.max ? f(summary.median) : `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
}
