/**
 * Quick CRS self-check: runs go-ftw regression tests straight through the engine
 * (no HTTP), to catch gross engine errors early. The real conformance runner is
 * test/crs/. Usage:
 *   node test/engine/crs-selfcheck.ts [--verbose] <yaml file or directory>...
 * Prints per-test failures and a pass/fail summary; requests given as
 * encoded_request are skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadRuleset } from '../../src/engine/index.ts';
import { runRequest } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CRS = resolve(ROOT, '../shared/crs-4.28.0');

interface FtwInput {
  method?: string;
  uri?: string;
  version?: string;
  headers?: Record<string, string>;
  data?: string;
  encoded_request?: string;
  stop_magic?: boolean;
  autocomplete_headers?: boolean;
}
interface FtwOutput {
  log?: { expect_ids?: number[]; no_expect_ids?: number[] };
  status?: number;
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const paths = args.filter((a) => !a.startsWith('--'));
const files: string[] = [];
const walk = (p: string): void => {
  if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
  else if (p.endsWith('.yaml')) files.push(p);
};
for (const p of paths.length ? paths : [join(CRS, 'tests/regression-tests')]) walk(resolve(p));

const t0 = performance.now();
const { waf, errors } = loadRuleset([
  { file: join(ROOT, 'test/crs/crs-test-setup.conf') },
  { file: join(CRS, 'crs-setup.conf.example') },
  { file: join(CRS, 'rules/*.conf') },
]);
console.log(`CRS loaded in ${(performance.now() - t0).toFixed(0)} ms: ${waf.ruleCount} rules, ${errors.length} errors`);
for (const e of errors.slice(0, 10)) console.log(`  ${e.format()}`);

let pass = 0;
let fail = 0;
let skipped = 0;
const t1 = performance.now();
for (const file of files) {
  const doc = parse(readFileSync(file, 'utf8')) as { tests?: { test_id: number; stages: { input: FtwInput; output: FtwOutput }[] }[] };
  for (const test of doc?.tests ?? []) {
    for (const stage of test.stages ?? []) {
      const input = stage.input;
      const out = stage.output ?? {};
      if (input.encoded_request || (!out.log && out.status === undefined)) {
        skipped++;
        continue;
      }
      const headers: [string, string][] = Object.entries(input.headers ?? {}).map(([k, v]) => [k, bytes(String(v))]);
      const body = input.data;
      if (body !== undefined && body !== null && input.stop_magic !== true && input.autocomplete_headers !== false) {
        if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
        if (!headers.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(Buffer.byteLength(body))]);
      }
      const tx = runRequest(waf, {
        method: input.method ?? 'GET',
        uri: bytes(input.uri ?? '/'),
        protocol: input.version ?? 'HTTP/1.1',
        headers,
        ...(body !== undefined && body !== null ? { body: Buffer.from(String(body), 'utf8') } : {}),
        response: reflect(input),
      });
      const ids = new Set(tx.matchedRules.map((m) => m.id));
      const missing = (out.log?.expect_ids ?? []).filter((id) => !ids.has(id));
      const unexpected = (out.log?.no_expect_ids ?? []).filter((id) => ids.has(id));
      const name = `${file.split('/').pop()}#${test.test_id}`;
      if (missing.length === 0 && unexpected.length === 0) {
        pass++;
      } else {
        fail++;
        console.log(`FAIL ${name}: missing [${missing}] unexpected [${unexpected}]${verbose ? ` matched [${[...ids]}]` : ''}`);
      }
    }
  }
}
console.log(`${pass} passed, ${fail} failed, ${skipped} skipped in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

/** go-ftw sends YAML strings as UTF-8: the engine sees their bytes. */
function bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** albedo's /reflect: the JSON request body describes the response (status, headers, body). */
function reflect(input: FtwInput): { status: number; headers: [string, string][]; body: string } {
  const fallback = { status: 200, headers: [['Content-Type', 'text/html']] as [string, string][], body: '' };
  if (!(input.uri ?? '').startsWith('/reflect') || typeof input.data !== 'string') return fallback;
  try {
    const j = JSON.parse(input.data) as { status?: number; headers?: Record<string, string>; body?: string };
    const headers = Object.entries(j.headers ?? {}).map(([k, v]) => [k, bytes(String(v))] as [string, string]);
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'text/plain; charset=utf-8']);
    return { status: j.status ?? 200, headers, body: bytes(j.body ?? '') };
  } catch {
    return fallback;
  }
}
