/**
 * The runner's reference target: nginx + ModSecurity v3 (Debian's nginx and
 * libnginx-mod-http-modsecurity) with the same test setup and CRS, judged
 * the way go-ftw judges it: a marker request with a unique X-CRS-Test header
 * before and after each stage (rule 999999 logs the header), and the stage's
 * log is the error-log lines between the two markers. Sequential by nature.
 *
 * It checks the runner itself (a ModSecurity figure near CRS's own says the
 * runner judges like go-ftw) and shows where picket and ModSecurity differ.
 * `npm run test:crs -- --target modsecurity --rule 942`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend } from './backend.ts';
import type { TransactionRecord } from './judge.ts';
import { sendRaw } from './send.ts';
import { SETUP_FILE } from './setup.ts';
import type { Observed, Target } from './suite.ts';

const NGINX = '/usr/sbin/nginx';
const MODULE = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';
/** go-ftw's stdLogIdRegex. */
const LOG_ID = /\[(?:id |\\?"id\\?":)\\?"(\d+)\\?"\]/g;

export interface ModsecTarget extends Target {
  readonly ruleCount: number;
  readonly loadMs: number;
  readonly restarts: number;
  readonly engineErrors: readonly string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function markerRequest(id: string): Buffer {
  return Buffer.from(
    `GET /status/200 HTTP/1.1\r\nAccept: */*\r\nUser-Agent: go-ftw test agent\r\nHost: localhost\r\nX-CRS-Test: ${id}\r\nConnection: close\r\n\r\n`,
  );
}

export async function startModsecTarget(crsDir: string): Promise<ModsecTarget> {
  if (!existsSync(NGINX) || !existsSync(MODULE)) {
    throw new Error(`--target modsecurity needs ${NGINX} and ${MODULE}: apt-get install -y nginx libnginx-mod-http-modsecurity`);
  }
  const backend: Backend = await startBackend();
  const dir = mkdtempSync(join(tmpdir(), 'picket-crs-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  writeFileSync(
    join(dir, 'modsecurity.conf'),
    `Include ${SETUP_FILE}\nInclude ${join(crsDir, 'crs-setup.conf.example')}\nInclude ${join(crsDir, 'rules')}/*.conf\n`,
  );
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${MODULE};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${errorLog} info;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  client_max_body_size 20m;
  server {
    listen 127.0.0.1:${port};
    modsecurity on;
    modsecurity_rules_file ${dir}/modsecurity.conf;
    location / { proxy_pass ${backend.url}; }
  }
}
`,
  );
  writeFileSync(errorLog, '');
  const started = performance.now();
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog], { stdio: 'ignore' });
  const fd = openSync(errorLog, 'r');
  let offset = 0;
  let pending = '';
  const lines: string[] = [];
  const readLog = (): void => {
    const size = fstatSync(fd).size;
    if (size <= offset) return;
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    offset = size;
    const parts = (pending + buf.toString('latin1')).split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  };
  /** Sends a marker and waits until its log line shows; returns the index of that line. */
  const mark = async (id: string): Promise<number> => {
    await sendRaw('127.0.0.1', port, markerRequest(id), 10_000, () => {});
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      readLog();
      const at = lines.findIndex((line) => line.includes(id));
      if (at !== -1) return at;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`marker ${id} never reached ${errorLog}: is rule 999999 loaded?`);
  };
  // Ready when a marker round trip works.
  const readyBy = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}); see ${errorLog}`);
    try {
      await mark(randomUUID());
      break;
    } catch (error) {
      if (Date.now() > readyBy) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const loadMs = performance.now() - started;
  const ruleCount = Number(/rules loaded inline\/local\/remote: \d+\/(\d+)/.exec(lines.join('\n'))?.[1] ?? 0);
  return {
    sequential: true,
    ruleCount,
    loadMs,
    restarts: 0,
    engineErrors: [],
    async observe(request: Buffer, timeoutMs: number): Promise<Observed> {
      const start = await mark(`start-${randomUUID()}`);
      const exchange = await sendRaw('127.0.0.1', port, request, timeoutMs, () => {});
      const end = await mark(`end-${randomUUID()}`);
      const logLines = lines.slice(start + 1, end);
      lines.splice(0, end + 1);
      const ruleIds = [...new Set(logLines.flatMap((line) => [...line.matchAll(LOG_ID)].map((m) => Number(m[1]))))];
      const record: TransactionRecord = { ids: [], ruleIds, matchedRules: [], refused: false };
      return { exchange, record, logLines };
    },
    async recover() {
      return false;
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
      closeSync(fd);
      await backend.close();
    },
  };
}
