/**
 * picket against nginx + ModSecurity v3 (Debian's nginx and
 * libnginx-mod-http-modsecurity), same run, same backend, same CRS
 * (../shared/crs-4.28.0) at paranoia level 1, engine On, the same engine
 * defaults picket ships (rulesets/picket.conf: body access and limits,
 * response body access for text types), audit logging off in both.
 * One worker process each: `picket run` has no workers option, so nginx
 * gets worker_processes 1. Reports req/s, p99 and CPU s/1000 requests
 * (process trees from /proc) for GET and a 2 KB JSON POST.
 *
 * nginx runs from a temporary prefix on 127.0.0.1 and is stopped by its pid.
 * Without nginx or the module this part is skipped with a loud message.
 *
 * Run alone: node bench/modsecurity.bench.ts [--duration 4s] [--connections 16]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoad, runLoad, standaloneLoadArgs, type LoadResult } from './load.ts';
import { CRS_DIR, cpuSeconds, freePort, startBackendProcess, startPicket, stopChild, waitForPort, type Child } from './procs.ts';
import { GET_QUERY, JSON_POST, type BenchRequest } from './requests.ts';
import { printTable, type Cell } from './table.ts';

const NGINX = '/usr/sbin/nginx';
const MODULE = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';

export interface ModsecBenchOptions {
  readonly durationMs: number;
  readonly connections: number;
  readonly maxRequests: number;
  readonly log?: (line: string) => void;
}

/** Why the comparison cannot run here, or null. */
export function nginxMissing(): string | null {
  if (!existsSync(NGINX)) return `${NGINX} not found`;
  if (!existsSync(MODULE)) return `${MODULE} not found`;
  return null;
}

/** ModSecurity configuration equal to what `picket run --crs DIR --paranoia 1` loads. */
function modsecConf(): string {
  return `# Mirrors rulesets/picket.conf and picket's CRS settings.
SecRuleEngine On
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\\+|/)|text/)xml" \\
    "id:1510001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/(?:[a-z0-9.+-]+\\+)?json" \\
    "id:1510002,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecRule REQBODY_ERROR "!@eq 0" "id:1510003,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body'"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:1510004,phase:2,t:none,log,deny,status:400,msg:'Multipart strict validation'"
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml
SecResponseBodyLimit 524288
SecResponseBodyLimitAction ProcessPartial
SecAuditEngine Off
SecPcreMatchLimit 100000
SecPcreMatchLimitRecursion 100000
Include ${CRS_DIR}/crs-setup.conf.example
SecAction "id:1510010,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"
Include ${CRS_DIR}/rules/*.conf
`;
}

function nginxConf(dir: string, port: number, backendPort: number): string {
  return `load_module ${MODULE};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  client_max_body_size 20m;
  keepalive_requests 100000;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    modsecurity on;
    modsecurity_rules_file ${dir}/modsecurity.conf;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

export async function startNginx(backendPort: number): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const port = await freePort();
  writeFileSync(join(dir, 'modsecurity.conf'), modsecConf());
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, backendPort));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-8000)));
  child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-8000)));
  const output = (): string => out;
  await waitForPort(port, 120_000, child, output);
  return { pid: child.pid!, port, process: child, output, stop: () => stopChild(child) };
}

async function measure(target: Child, request: BenchRequest, options: ModsecBenchOptions): Promise<{ load: LoadResult; cpuPer1k: number }> {
  const before = cpuSeconds(target.pid);
  const load = await runLoad({
    url: `http://127.0.0.1:${target.port}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
    connections: options.connections,
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
  });
  const cpu = cpuSeconds(target.pid) - before;
  return { load, cpuPer1k: load.requests > 0 ? (cpu / load.requests) * 1000 : NaN };
}

export async function runModsecBench(options: ModsecBenchOptions): Promise<Cell[][] | null> {
  const log = options.log ?? (() => {});
  const missing = nginxMissing();
  if (missing) {
    process.stdout.write(
      '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
        `!!! SKIPPED: picket vs nginx + ModSecurity v3 comparison: ${missing}\n` +
        '!!! Install with: apt-get update && apt-get install -y nginx libnginx-mod-http-modsecurity\n' +
        '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n',
    );
    return null;
  }
  const backend = await startBackendProcess();
  const rows: Cell[][] = [];
  try {
    const upstream = `http://127.0.0.1:${backend.port}`;
    const results = new Map<string, { load: LoadResult; cpuPer1k: number } | null>();
    // One target at a time so they never compete for the two cores.
    for (const name of ['picket', 'nginx+ModSecurity'] as const) {
      let target: Child;
      try {
        target = name === 'picket' ? await startPicket(upstream, ['--crs', CRS_DIR, '--paranoia', '1']) : await startNginx(backend.port);
      } catch (error) {
        log(`${name}: could not start: ${(error as Error).message.split('\n').slice(0, 8).join(' | ')}`);
        for (const request of [GET_QUERY, JSON_POST]) results.set(`${name}/${request.name}`, null);
        continue;
      }
      try {
        for (const request of [GET_QUERY, JSON_POST]) {
          const r = await measure(target, request, options);
          log(`${name} ${request.name}: ${formatLoad(r.load)}, ${r.cpuPer1k.toFixed(3)} CPU s/1k`);
          results.set(`${name}/${request.name}`, r);
        }
      } finally {
        await target.stop();
      }
    }
    for (const request of [GET_QUERY, JSON_POST]) {
      const p = results.get(`picket/${request.name}`);
      const m = results.get(`nginx+ModSecurity/${request.name}`);
      rows.push([
        request.name,
        p?.load.rps ?? NaN, p?.load.p99Ms ?? NaN, p?.cpuPer1k ?? NaN,
        m?.load.rps ?? NaN, m?.load.p99Ms ?? NaN, m?.cpuPer1k ?? NaN,
        p && m ? (p.load.rps / m.load.rps).toFixed(2) : '-',
        p && m ? (p.cpuPer1k / m.cpuPer1k).toFixed(2) : '-',
        (p ? p.load.errors + p.load.non2xx : '-') + '/' + (m ? m.load.errors + m.load.non2xx : '-'),
      ]);
    }
  } finally {
    await backend.stop();
  }
  printTable(
    `picket vs nginx + ModSecurity v3, CRS 4.28 PL1, one worker process each, ${options.connections} connections, ${options.durationMs / 1000} s each`,
    ['request', 'picket req/s', 'p99 ms', 'CPU s/1k', 'modsec req/s', 'p99 ms', 'CPU s/1k', 'req/s ratio', 'CPU ratio', 'errors p/m'],
    rows,
  );
  return rows;
}

if (import.meta.main) {
  await runModsecBench(standaloneLoadArgs());
}
