/**
 * Engine profiling probe (not a test, not a benchmark: bench/ owns those).
 *
 * Loads CRS 4.28 at paranoia level 1 (blocking) and runs five workloads through
 * the engine alone, printing the load time and CPU µs per transaction. Use with
 * `node --cpu-prof test/engine/perf-probe.ts [workload] [count]` to see where time goes.
 *
 * Arguments: workload (get, json, form, multipart, sqli or all; default all),
 * count per workload (default 2000), `--alloc` to print bytes allocated per transaction
 * by function instead (V8 sampling heap profiler, collected objects included: a figure
 * that, unlike CPU time on a shared machine, does not move with the load).
 * Example: node test/engine/perf-probe.ts json 5000; node test/engine/perf-probe.ts get 500 --alloc
 */
import { Session } from 'node:inspector/promises';
import { createWaf } from '../../src/engine/index.ts';
import type { Waf } from '../../src/engine/api.ts';
import { runRequest, type RequestSpec } from './harness.ts';

const CRS = '../shared/crs-4.28.0';

function headers(extra: [string, string][] = []): [string, string][] {
  return [
    ['Host', 'shop.example.com'],
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
    ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['Accept-Language', 'en-US,en;q=0.5'],
    ['Accept-Encoding', 'gzip, deflate, br'],
    ['Cookie', 'session=3f2a9c0d8e7b6a5f4e3d2c1b0a998877; theme=dark'],
    ['Connection', 'keep-alive'],
    ...extra,
  ];
}

function jsonBody(): string {
  const items = [];
  for (let i = 0; items.length === 0 || JSON.stringify(items).length < 1900; i++) {
    items.push({ id: i, name: `item number ${i}`, qty: i % 7, note: 'fragile, keep upright', tags: ['a', 'b'] });
  }
  return JSON.stringify({ order: { customer: 'Jane Doe', email: 'jane@example.com', items } });
}

function multipartBody(): string {
  const file = 'x'.repeat(50 * 1024);
  return (
    '--BOUNDARY\r\nContent-Disposition: form-data; name="title"\r\n\r\nHoliday pictures\r\n' +
    '--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="photo.txt"\r\nContent-Type: text/plain\r\n\r\n' +
    file +
    '\r\n--BOUNDARY--\r\n'
  );
}

const JSON_BODY = jsonBody();
const MULTIPART_BODY = multipartBody();
const FORM_BODY = 'username=jane.doe&password=correct+horse+battery&remember=on&redirect=%2Faccount%2Forders';

const WORKLOADS: Record<string, RequestSpec> = {
  get: { method: 'GET', uri: '/products/search?q=blue+shoes&page=2&sort=price_asc', headers: headers() },
  json: {
    method: 'POST',
    uri: '/api/orders',
    headers: headers([['Content-Type', 'application/json'], ['Content-Length', String(JSON_BODY.length)]]),
    body: JSON_BODY,
  },
  form: {
    method: 'POST',
    uri: '/login',
    headers: headers([['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(FORM_BODY.length)]]),
    body: FORM_BODY,
  },
  multipart: {
    method: 'POST',
    uri: '/upload',
    headers: headers([['Content-Type', 'multipart/form-data; boundary=BOUNDARY'], ['Content-Length', String(MULTIPART_BODY.length)]]),
    body: MULTIPART_BODY,
  },
  sqli: { method: 'GET', uri: "/products?id=1'%20UNION%20SELECT%20username,password%20FROM%20users--", headers: headers() },
};

function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

function run(waf: Waf, name: string, spec: RequestSpec, count: number): void {
  const probe = runRequest(waf, spec, 'probe');
  const status = probe.interruption ? `${probe.interruption.status} by ${probe.interruption.ruleId}` : 'pass';
  for (let i = 0; i < Math.min(200, count); i++) runRequest(waf, spec, `w${i}`);
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) runRequest(waf, spec, `t${i}`);
  const ms = cpuMs(start);
  const us = (ms * 1000) / count;
  console.log(`${name.padEnd(10)} ${us.toFixed(1).padStart(8)} µs/tx  ${Math.round(1e6 / us).toString().padStart(7)} tx/s/core  (${status}, ${probe.matchedRules.length} matched)`);
}

interface SampledNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children: readonly SampledNode[];
}

/** Bytes allocated per transaction by the JS function that allocated (builtins charged to their caller). */
async function allocations(waf: Waf, name: string, spec: RequestSpec, count: number): Promise<void> {
  for (let i = 0; i < Math.min(200, count); i++) runRequest(waf, spec, `w${i}`);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < count; i++) runRequest(waf, spec, `t${i}`);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: SampledNode; samples: readonly { nodeId: number; size: number }[] };
  };
  session.disconnect();
  const nodes = new Map<number, SampledNode>();
  const parents = new Map<number, SampledNode>();
  const index = (n: SampledNode): void => {
    nodes.set(n.id, n);
    for (const c of n.children) {
      parents.set(c.id, n);
      index(c);
    }
  };
  index(profile.head);
  const bytes = new Map<string, number>();
  let total = 0;
  for (const sample of profile.samples) {
    let node = nodes.get(sample.nodeId);
    if (node !== undefined && node.callFrame.url === '') node = parents.get(node.id) ?? node;
    const f = node?.callFrame;
    const key = f === undefined ? '(unknown)' : `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    bytes.set(key, (bytes.get(key) ?? 0) + sample.size);
    total += sample.size;
  }
  console.log(`${name.padEnd(10)} ${(total / count / 1024).toFixed(1).padStart(8)} KB allocated/tx`);
  for (const [key, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, 12)) console.log(`  ${(b / count / 1024).toFixed(1).padStart(8)} KB  ${key}`);
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const alloc = process.argv.includes('--alloc');
const which = positional[0] ?? 'all';
const count = Number(positional[1] ?? 2000);
const loadStart = process.cpuUsage();
const wallStart = performance.now();
const waf = createWaf([
  { file: `${CRS}/crs-setup.conf.example` },
  { text: 'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"', name: 'pl1.conf' },
  { text: 'SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"', name: 'json.conf' },
  { file: `${CRS}/rules/*.conf` },
]);
console.log(`CRS load   ${cpuMs(loadStart).toFixed(0)} ms CPU, ${(performance.now() - wallStart).toFixed(0)} ms wall, ${waf.ruleCount} rules`);
for (const [name, spec] of Object.entries(WORKLOADS)) {
  if (which !== 'all' && which !== name) continue;
  if (alloc) await allocations(waf, name, spec, count);
  else run(waf, name, spec, count);
}
