/**
 * nginx + ModSecurity v3 for the comparison (Debian's nginx and
 * libnginx-mod-http-modsecurity): the same CRS and the same engine settings
 * `picket run --crs DIR --paranoia 1` loads, N worker processes, run from a
 * temporary prefix on 127.0.0.1, optionally pinned with taskset, stopped by
 * its pid and its prefix removed afterwards. Without the WAF (`waf: false`)
 * it is the same nginx proxying plainly: the latency floor of a proxy hop.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedCommand } from './pinning.ts';
import { CRS_DIR, freePort, stopChild, waitForPort, type Child } from './procs.ts';

const NGINX = '/usr/sbin/nginx';
const MODULE = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';

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

function nginxConf(dir: string, port: number, backendPort: number, workers: number, waf: boolean): string {
  return `${waf ? `load_module ${MODULE};` : '# no WAF: a plain proxy'}
worker_processes ${workers};
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
  # Bodies stay in memory as picket keeps them (the 16 KB default spools a 50 KB upload to a file).
  client_body_buffer_size 1m;
  keepalive_requests 100000;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
${waf ? `    modsecurity on;
    modsecurity_rules_file ${dir}/modsecurity.conf;
` : ''}    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/**
 * nginx + ModSecurity (or, with `waf` false, nginx alone) with `workers` worker processes, master and
 * workers pinned to `cpus` when given.
 */
export async function startNginx(
  backendPort: number, workers = 1, cpus: readonly number[] | null = null, { waf = true }: { readonly waf?: boolean } = {},
): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'picket-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  // nginx workers run as an unprivileged user when started as root: let them use the temp paths.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'tmp'), 0o777);
  const port = await freePort();
  if (waf) writeFileSync(join(dir, 'modsecurity.conf'), modsecConf());
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port, backendPort, workers, waf));
  const [command, args] = pinnedCommand(cpus, NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-8000)));
  child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-8000)));
  const output = (): string => out;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 120_000, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, port, process: child, output, stop };
}
