/**
 * Throughput of the hottest SecLang primitives on realistic request values:
 * the transformations CRS chains most (urlDecodeUni, htmlEntityDecode,
 * lowercase, cmdLine, compressWhitespace, removeWhitespace) and the operators
 * @rx (CRS patterns, beside the same pattern with JS's native `i` flag for
 * reference) and @pmFromFile (a CRS data file). Times are CPU time of the
 * process, since the machine is shared.
 *
 *   node bench/primitives.bench.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pmFromFile } from '../src/engine/operators/pm-from-file.ts';
import { rx } from '../src/engine/operators/rx.ts';
import type { MatchState, OperatorContext } from '../src/engine/operators/types.ts';
import { getTransformation } from '../src/engine/transformations/index.ts';
import { formatTable } from './table.ts';

export interface Row {
  readonly name: string;
  /** Values per pass. */
  readonly inputs: number;
  /** Bytes per pass. */
  readonly bytes: number;
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly nsPerOp: number;
}

const CRS_RULES = join(dirname(fileURLToPath(import.meta.url)), '../../shared/crs-4.28.0/rules');

/** Request values as CRS sees them: mostly benign, some encoded attacks, one larger body field. */
function corpus(): string[] {
  const values = [
    'john.doe@example.com',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    'search+for+red+shoes%2C+size+42',
    '/api/v2/orders/12345/items?page=2&per_page=50',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    '1%27%20OR%20%271%27%3D%271',
    '%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E',
    '&lt;img src=x onerror=&#x61;lert(1)&gt;',
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '%u0053%u0045%u004c%u0045%u0043%u0054 * FROM users',
    'C^OMMAND /C "DIR" , ;  type \t c:\\boot.ini',
    '  multiple   spaces\tand\r\nnewlines\xa0here  ',
    'en-US,en;q=0.9,de;q=0.8',
    'session=8f14e45fceea167a5a36dedd4bea2543; theme=dark',
    '12345',
  ];
  const body = JSON.stringify({
    comment: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(30),
    tags: ['alpha', 'beta', 'gamma'],
    html: '<p>Hello &amp; welcome, <b>friend</b>!</p>'.repeat(10),
  });
  return [...values, body];
}

function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

/** Runs `fn` over all inputs for about `seconds` of CPU time; returns CPU ns per pass. */
function measure(inputs: readonly string[], fn: (s: string) => unknown, seconds: number): number {
  let sink = 0;
  for (let i = 0; i < 200; i++) for (const s of inputs) if (fn(s)) sink++; // warm up (JIT)
  let passes = 0;
  const start = cpuNs();
  let elapsed = 0;
  while (elapsed < seconds * 1e9 || passes < 3) {
    for (let k = 0; k < 50; k++) {
      for (const s of inputs) if (fn(s)) sink++;
    }
    passes += 50;
    elapsed = cpuNs() - start;
  }
  if (sink < 0) throw new Error('unreachable');
  return elapsed / passes;
}

function row(name: string, inputs: readonly string[], nsPerPass: number): Row {
  const bytes = inputs.reduce((n, s) => n + s.length, 0);
  return {
    name,
    inputs: inputs.length,
    bytes,
    opsPerSec: inputs.length / (nsPerPass / 1e9),
    mbPerSec: bytes / 1e6 / (nsPerPass / 1e9),
    nsPerOp: nsPerPass / inputs.length,
  };
}

/** The `@rx` argument of the CRS rule with this id, unescaped as the rule parser would. */
function crsPattern(id: number): string {
  for (const file of ['REQUEST-942-APPLICATION-ATTACK-SQLI.conf', 'REQUEST-941-APPLICATION-ATTACK-XSS.conf', 'REQUEST-932-APPLICATION-ATTACK-RCE.conf', 'REQUEST-933-APPLICATION-ATTACK-PHP.conf']) {
    const text = readFileSync(join(CRS_RULES, file), 'latin1').replace(/\\\n/g, '');
    const at = text.indexOf(`id:${id},`);
    if (at === -1) continue;
    const start = text.lastIndexOf('"@rx ', at);
    const m = /^"@rx ((?:[^"\\]|\\.)*)"/.exec(text.slice(start));
    if (m) return (m[1] as string).replace(/\\"/g, '"');
  }
  throw new Error(`CRS rule ${id} not found under ${CRS_RULES}`);
}

const context: OperatorContext = {
  file: 'bench.conf',
  line: 1,
  baseDir: CRS_RULES,
  compileMacro: (text) => ({ text, isConstant: true, expand: () => text }),
};
const state: MatchState = { capture: false, setCapture: () => {}, lookup: () => '' };

export async function runPrimitivesBench(seconds = 0.5): Promise<Row[]> {
  const inputs = corpus();
  const rows: Row[] = [];
  for (const name of ['urlDecodeUni', 'htmlEntityDecode', 'lowercase', 'cmdLine', 'compressWhitespace', 'removeWhitespace', 'jsDecode', 'utf8toUnicode']) {
    const fn = getTransformation(name);
    if (!fn) throw new Error(`t:${name} missing`);
    rows.push(row(`t:${name}`, inputs, measure(inputs, fn, seconds)));
  }
  // Operators see transformed values, as in CRS chains (t:urlDecodeUni,t:lowercase ...).
  const decoded = inputs.map((s) => (getTransformation('lowercase') as (v: string) => string)((getTransformation('urlDecodeUni') as (v: string) => string)(s)));
  for (const id of [942190, 941160, 932230, 933110]) {
    const pattern = crsPattern(id);
    const op = rx(pattern, context);
    rows.push(row(`@rx CRS ${id}`, decoded, measure(decoded, (s) => op.match(s, state), seconds)));
    // The same pattern with the JS `i` flag instead of written-out folding (not byte-exact; reference only).
    if (pattern.startsWith('(?i)')) {
      const { compileRegex } = await import('../src/engine/operators/regex-cache.ts');
      const folded = compileRegex(pattern.slice(4)).regex;
      const native = new RegExp(folded.source, 'i');
      rows.push(row(`  same, native i flag`, decoded, measure(decoded, (s) => native.test(s), seconds)));
    }
  }
  for (const file of ['lfi-os-files.data', 'unix-shell.data', 'php-errors.data']) {
    const op = pmFromFile(file, context);
    rows.push(row(`@pmFromFile ${file}`, decoded, measure(decoded, (s) => op.match(s, state), seconds)));
  }
  return rows;
}

export function formatRows(rows: readonly Row[]): string {
  return formatTable(
    'SecLang primitives (CPU time)',
    ['benchmark', 'inputs', 'bytes', 'ops/s', 'MB/s', 'ns/op'],
    rows.map((r) => [r.name, r.inputs, r.bytes, Math.round(r.opsPerSec), r.mbPerSec, Math.round(r.nsPerOp)]),
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatRows(await runPrimitivesBench()));
}
