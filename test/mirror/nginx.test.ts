/**
 * picket in mirror mode behind a REAL nginx running deploy/nginx/mirror.conf:
 * the client's responses are those of the application, picket inspects every
 * copy with the original URI and client, and a down or stalled picket does
 * not hold the client back beyond the mirror location's timeouts.
 *
 * Needs the `nginx` binary (Debian: apt-get install -y nginx); fails without it.
 * nginx runs in the foreground (daemon off, master_process off) with a config
 * and prefix in a temp dir, and is killed by pid at the end.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWaf } from '../../src/engine/index.ts';
import { CONTRACT_RULES } from '../proxy/engines.ts';
import { startProxy, startUpstream } from '../proxy/helpers.ts';
import type { RunningProxy, Upstream } from '../proxy/helpers.ts';

const DEPLOY_CONF = new URL('../../deploy/nginx/mirror.conf', import.meta.url);
/** The test client connects from this loopback address, so "the original client" differs from nginx's own address. */
const CLIENT_ADDRESS = '127.0.0.5';
/** The mirror location's timeouts are 200 ms (nginx's defaults would be 60 s); the rest is slack for a loaded machine. */
const DELAY_BOUND_MS = 1000;

function nginxAvailable(): boolean {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return probe.status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** deploy/nginx/mirror.conf with the test's addresses; `bodyOff` gives the mirror_request_body off variant. */
function site(ports: { nginx: number; app: number; picket: number }, bodyOff: boolean): string {
  let text = readFileSync(DEPLOY_CONF, 'utf8');
  const replace = (from: RegExp, to: string): void => {
    assert.match(text, from, `deploy/nginx/mirror.conf no longer contains ${from}`);
    text = text.replace(from, to);
  };
  replace(/server app:8080;/, `server 127.0.0.1:${ports.app};`);
  replace(/server picket:8080;/, `server 127.0.0.1:${ports.picket};`);
  replace(/listen 80;/, `listen 127.0.0.1:${ports.nginx};`);
  if (bodyOff) {
    replace(/mirror_request_body on;/, 'mirror_request_body off;');
    // What mirror.conf says to add with `off`: nginx would otherwise announce a body it never sends.
    replace(/internal;/, 'internal;\n        proxy_pass_request_body off;\n        proxy_set_header Content-Length "";');
    text = text.replaceAll('app_backend', 'app_backend_nobody').replaceAll('picket_mirror', 'picket_mirror_nobody');
  }
  return text;
}

/** Both sites in a complete nginx.conf. */
function nginxConf(dir: string, ports: { nginx: number; nginxNoBody: number; app: number; picket: number }): string {
  const withBody = site({ nginx: ports.nginx, app: ports.app, picket: ports.picket }, false);
  const withoutBody = site({ nginx: ports.nginxNoBody, app: ports.app, picket: ports.picket }, true);
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${withBody}
${withoutBody}
}
`;
}

async function waitForPort(port: number, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

function request(port: number, path: string, options: { method?: string; body?: string; agent?: http.Agent | false; headers?: http.OutgoingHttpHeaders } = {}): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', localAddress: CLIENT_ADDRESS, agent: options.agent ?? false, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - start }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const traffic = [
  { path: '/hello?name=world' },
  { path: '/search?q=attack' },
  { path: '/comment', method: 'POST', headers: form, body: 'text=an+attack+in+the+body' },
  { path: '/upload', method: 'POST', headers: form, body: `data=${'x'.repeat(200_000)}` },
];

describe('nginx mirror → picket (mirror mode)', { timeout: 120_000 }, () => {
  let dir: string;
  let app: Upstream;
  let picket: RunningProxy | undefined;
  let picketPort: number;
  let nginxPort: number;
  let nginxNoBodyPort: number;
  let nginx: ChildProcess | undefined;
  let stalled: net.Server | undefined;
  const stalledSockets = new Set<net.Socket>();

  before(async () => {
    assert.ok(nginxAvailable(), 'install nginx: apt-get install -y nginx');
    dir = mkdtempSync(join(tmpdir(), 'picket-nginx-'));
    app = await startUpstream((req, res, body) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`app saw ${req.method} ${req.url} with ${body.length} body bytes`);
    });
    picket = await startProxy({
      waf: createWaf([{ text: CONTRACT_RULES, name: 'contract.conf' }]),
      mode: 'mirror',
      mirror: { sources: ['127.0.0.1'] },
    });
    picketPort = picket.port;
    nginxPort = await freePort();
    nginxNoBodyPort = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, nginxConf(dir, { nginx: nginxPort, nginxNoBody: nginxNoBodyPort, app: app.port, picket: picketPort }));
    nginx = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    await waitForPort(nginxPort, nginx, join(dir, 'error.log'));
  });

  after(async () => {
    if (nginx?.pid !== undefined && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      process.kill(nginx.pid, 'SIGTERM');
      await exited;
    }
    for (const socket of stalledSockets) socket.destroy();
    await new Promise((r) => (stalled ? stalled.close(r) : r(undefined)));
    await picket?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the client the application's responses, unchanged", async () => {
    for (const r of traffic) {
      const direct = await request(app.port, r.path, r);
      const viaNginx = await request(nginxPort, r.path, r);
      assert.equal(viaNginx.status, direct.status, r.path);
      assert.equal(viaNginx.body, direct.body, r.path);
    }
  });

  it('picket inspected every mirrored copy with the original URI and client', async () => {
    const observer = picket!.observer;
    // Each traffic entry went through nginx once in the previous test.
    await observer.waitForReports(traffic.length);
    const byUri = new Map(observer.reports.map((report) => [report.request.uri, report]));
    for (const r of traffic) {
      const report = byUri.get(r.path);
      assert.ok(report, `no report for ${r.path}`);
      assert.equal(report.mode, 'mirror');
      assert.equal(report.client.address, CLIENT_ADDRESS);
      assert.equal(report.request.method, r.method ?? 'GET');
      assert.equal(report.status, undefined);
    }
    assert.equal(byUri.get('/hello?name=world')?.verdict, 'allowed');
    assert.equal(byUri.get('/search?q=attack')?.verdict, 'would-block');
    assert.equal(byUri.get('/search?q=attack')?.interruptionRuleId, 1);
    // The body was mirrored and inspected (rule 2 reads ARGS_POST).
    assert.equal(byUri.get('/comment')?.verdict, 'would-block');
    assert.equal(byUri.get('/comment')?.interruptionRuleId, 2);
    assert.equal(byUri.get('/upload')?.verdict, 'allowed');
    assert.equal(observer.dropped, 0);
  });

  it('with mirror_request_body off: the app still gets the body, picket sees only the request head', async () => {
    const observer = picket!.observer;
    const before = observer.reports.length;
    const post = { path: '/nobody?x=1', method: 'POST', headers: form, body: 'text=an+attack+in+the+body' };
    const direct = await request(app.port, post.path, post);
    const viaNginx = await request(nginxNoBodyPort, post.path, post);
    assert.equal(viaNginx.status, direct.status);
    assert.equal(viaNginx.body, direct.body);
    await observer.waitForReports(before + 1);
    const report = observer.reports.find((r) => r.request.uri === '/nobody?x=1');
    assert.ok(report);
    assert.equal(report.request.method, 'POST');
    assert.equal(report.client.address, CLIENT_ADDRESS);
    // Phase 2 had no body to read, so the body rule could not fire.
    assert.equal(report.verdict, 'allowed');
  });

  it('serves the client when picket is down', async () => {
    await picket!.close();
    picket = undefined;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const r of traffic) {
        const answer = await request(nginxPort, r.path, r);
        assert.equal(answer.status, 200);
        assert.ok(answer.ms < DELAY_BOUND_MS, `${r.path} took ${answer.ms} ms`);
        const kept = await request(nginxPort, r.path, { ...r, agent });
        assert.equal(kept.status, 200);
        assert.ok(kept.ms < DELAY_BOUND_MS, `${r.path} (keep-alive) took ${kept.ms} ms`);
      }
    } finally {
      agent.destroy();
    }
  });

  it('serves the client when picket stalls (accepts, never answers)', async (t) => {
    stalled = net.createServer((socket) => {
      stalledSockets.add(socket);
      socket.on('error', () => undefined);
      socket.resume();
    });
    await new Promise<void>((resolve) => stalled!.listen(picketPort, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const times: number[] = [];
      for (const r of traffic) {
        const direct = await request(app.port, r.path, r);
        const answer = await request(nginxPort, r.path, { ...r, agent });
        assert.equal(answer.status, direct.status);
        assert.equal(answer.body, direct.body);
        assert.ok(answer.ms < DELAY_BOUND_MS, `${r.path} took ${answer.ms} ms`);
        times.push(Math.round(answer.ms));
      }
      assert.ok(stalledSockets.size > 0, 'nginx did send copies to the stalled target');
      t.diagnostic(`keep-alive request times with a stalled mirror target (ms): ${times.join(', ')}`);
    } finally {
      agent.destroy();
    }
  });
});
