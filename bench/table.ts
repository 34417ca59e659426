/** Prints benchmark results as aligned text tables, one per bench part. */
import { availableParallelism, loadavg } from 'node:os';

export type Cell = string | number;

function show(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '-';
  if (Number.isInteger(cell)) return String(cell);
  return Math.abs(cell) >= 100 ? cell.toFixed(0) : Math.abs(cell) >= 10 ? cell.toFixed(1) : cell.toFixed(2);
}

export function formatTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [header.slice(), ...rows.map((r) => r.map(show))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [`== ${title}`, line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  process.stdout.write(formatTable(title, header, rows) + '\n\n');
}

/**
 * The machine's 1-minute load average now and at `before` (taken when the
 * part started), for table titles: figures from a machine busy with other
 * work are not comparable to a quiet run, and the reader should see that.
 * The bench itself keeps one or two processes runnable.
 */
export function machineLoadNote(before: number): string {
  return `load average ${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
}

export function loadAverage(): number {
  return loadavg()[0]!;
}
