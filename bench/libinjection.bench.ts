/**
 * libinjection throughput: `detectSqli` and `detectXss` over every input of
 * ../shared/libinjection/expected.tsv, in MB/s and µs per input, beside the
 * C library's figures on this machine (gcc -O2). Times are CPU time of the
 * process, since the machine is shared.
 *
 *   node bench/libinjection.bench.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectSqli, detectXss } from '../src/engine/libinjection/index.ts';

export interface Row {
  readonly name: string;
  readonly inputs: number;
  readonly bytes: number;
  readonly mbPerSec: number;
  readonly usPerInput: number;
  /** The C libinjection (gcc -O2) on the same inputs and machine. */
  readonly reference: { readonly mbPerSec: number; readonly usPerInput: number };
}

const C_REFERENCE = {
  sqli: { mbPerSec: 67, usPerInput: 1.5 },
  xss: { mbPerSec: 111, usPerInput: 0.9 },
};

const DATA = join(dirname(fileURLToPath(import.meta.url)), '../../shared/libinjection/expected.tsv');

function loadInputs(): string[] {
  const inputs: string[] = [];
  for (const line of readFileSync(DATA, 'latin1').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const hex = line.split('\t')[2];
    if (hex !== undefined) inputs.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return inputs;
}

/** CPU time of this process in ns (the machine is shared: wall time would count other work). */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

/** Runs `fn` over all inputs repeatedly for about `seconds` of CPU time; returns CPU ns per pass. */
function measure(inputs: string[], fn: (s: string) => unknown, seconds: number): number {
  let sink = 0;
  for (let i = 0; i < 3; i++) for (const s of inputs) if (fn(s)) sink++; // warm up
  let passes = 0;
  const start = cpuNs();
  let elapsed = 0;
  while (elapsed < seconds * 1e9 || passes < 3) {
    for (const s of inputs) if (fn(s)) sink++;
    passes++;
    elapsed = cpuNs() - start;
  }
  if (sink < 0) throw new Error('unreachable');
  return elapsed / passes;
}

function row(name: string, inputs: string[], bytes: number, nsPerPass: number, ref: Row['reference']): Row {
  return {
    name,
    inputs: inputs.length,
    bytes,
    mbPerSec: bytes / 1e6 / (nsPerPass / 1e9),
    usPerInput: nsPerPass / 1e3 / inputs.length,
    reference: ref,
  };
}

export async function runLibinjectionBench(seconds = 2): Promise<Row[]> {
  const inputs = loadInputs();
  const bytes = inputs.reduce((n, s) => n + s.length, 0);
  const sqli = measure(inputs, (s) => detectSqli(s).isSqli, seconds);
  const xss = measure(inputs, detectXss, seconds);
  return [
    row('libinjection detectSqli', inputs, bytes, sqli, C_REFERENCE.sqli),
    row('libinjection detectXss', inputs, bytes, xss, C_REFERENCE.xss),
  ];
}

export function formatRows(rows: readonly Row[]): string {
  const lines = [
    'benchmark                  inputs      bytes     MB/s  µs/input   C MB/s  C µs/input  vs C',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.name.padEnd(24),
        String(r.inputs).padStart(8),
        String(r.bytes).padStart(10),
        r.mbPerSec.toFixed(1).padStart(8),
        r.usPerInput.toFixed(2).padStart(9),
        r.reference.mbPerSec.toFixed(0).padStart(8),
        r.reference.usPerInput.toFixed(1).padStart(11),
        `${((r.mbPerSec / r.reference.mbPerSec) * 100).toFixed(0)}%`.padStart(5),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runLibinjectionBench();
  console.log(formatRows(rows));
}
