/**
 * End to end on a real single-node Docker Swarm: picket's image built from the
 * real Dockerfile, a stack derived from deploy/swarm/sidecar.yml (app at 2
 * replicas on an internal overlay network, only picket published), continuous
 * bounded traffic through picket while the app scales 2 → 5 → 1 and rolls
 * (start-first), and attacks in between.
 *
 * The Docker API (socket proxy) also goes away for a few seconds under traffic.
 * Asserts: no failed request; every new replica answers through picket within
 * 2 s of its task reaching running (task Status.Timestamp → first response
 * naming it); no replica answers after its task stopped; attacks get 403.
 * Prints the measured figures.
 *
 * Then deploy/swarm/mirror.yml, for real: nginx (an image made from this
 * machine's Debian nginx by scripts/docker-nginx-image.sh, chosen with the
 * stack's NGINX_IMAGE) in front of the app, mirroring every request to picket
 * in mirror mode. Asserts: every client answer is the app's own answer to that
 * exact request, attacks included; picket counted every copy and reported
 * exactly the attacks as would-block, with their original URI and client, in
 * its metrics and audit log; with picket scaled to 0, clients see no change.
 *
 * Needs a Docker engine in swarm mode: `scripts/docker-setup.sh` installs
 * docker.io, starts dockerd and inits the swarm. With no registry reachable,
 * `scripts/docker-base-image.sh` makes the node:24-bookworm-slim base locally
 * (run here when the image is missing). Everything this test creates (stack,
 * networks, the images it builds, stages included) is removed at the end, even
 * on failure (the nginx config too); the swarm and the base image stay for
 * the next run. Names carry a random run id (and the mirror stack one of 254
 * subnets), so runs on the same engine at the same time do not collide.
 * Set PICKET_E2E_SOURCE=HEAD to build from the last commit instead of the work
 * tree, PICKET_E2E_CRS=0 to run picket's core ruleset instead of CRS 4.28.
 */
import assert from 'node:assert/strict';
import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { parse, stringify } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const CRS = resolve(ROOT, '../shared/crs-4.28.0');
const RUN = `pe2e${randomBytes(3).toString('hex')}`;
const PICKET_IMAGE = `picket-e2e:${RUN}`;
const APP_IMAGE = `picket-e2e-app:${RUN}`;
const STAGE_IMAGES = [`picket-e2e-stage-build:${RUN}`, `picket-e2e-stage-crs:${RUN}`] as const;
const APP_SERVICE = `${RUN}_app`;
const DRAIN_MS = 4000;
const NEW_REPLICA_LIMIT_MS = 2000;
const ATTACK = "/?id=1'%20OR%20'1'='1";
const STOPPED = new Set(['shutdown', 'complete', 'failed', 'rejected', 'orphaned', 'remove']);

type Exec = { stdout: string; stderr: string };
function sh(cmd: string, args: string[], options: ExecFileOptions & { timeoutMs?: number } = {}): Promise<Exec> {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 120_000, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${String(stderr).slice(-3000)}`));
      else resolvePromise({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`# e2e ${new Date().toISOString().slice(11, 23)} ${msg}`);

/** Polls `check` until it holds; on time-out the error says what was awaited and, with `state`, what was seen. */
async function waitUntil(what: string, limitMs: number, check: () => Promise<boolean> | boolean, everyMs = 200, state?: () => string): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}${state ? `; seen: ${state()}` : ''}`);
    await sleep(everyMs);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Build context in a temp dir: the repo's image inputs, plus CRS (from ../shared) in crs-context/ only there. */
async function makeContext(dir: string): Promise<void> {
  const inputs = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'bin', 'scripts/node24', 'rulesets', 'Dockerfile', '.dockerignore'];
  if (process.env.PICKET_E2E_SOURCE === 'HEAD') {
    const archive = join(dir, 'src.tar');
    await sh('git', ['-C', ROOT, 'archive', '-o', archive, 'HEAD', ...inputs]);
    await sh('tar', ['-xf', archive, '-C', dir]);
    await rm(archive);
  } else {
    for (const input of inputs) {
      await mkdir(dirname(join(dir, input)), { recursive: true });
      await cp(join(ROOT, input), join(dir, input), { recursive: true, filter: (f) => !f.endsWith('.test.ts') });
    }
  }
  await mkdir(join(dir, 'crs-context'));
  for (const part of ['rules', 'crs-setup.conf.example', 'plugins', 'LICENSE']) {
    await cp(join(CRS, part), join(dir, 'crs-context', part), { recursive: true });
  }
}

/** The test stack: deploy/swarm/sidecar.yml with local images, a free loopback port and an instrumented app. */
async function makeStack(port: number): Promise<string> {
  const stack = parse(await readFile(join(ROOT, 'deploy/swarm/sidecar.yml'), 'utf8'));
  const { picket, app } = stack.services;
  const proxy = stack.services['socket-proxy'];
  picket.image = PICKET_IMAGE;
  picket.ports[0].published = port;
  picket.environment.PICKET_SWARM_RECONCILE = '1s';
  // Every request matching a rule is logged at info (920350 flags the numeric Host of loopback traffic).
  picket.environment.PICKET_LOG_LEVEL = 'warn';
  // Default: OWASP CRS 4.28, baked into the image from the build context. PICKET_E2E_CRS=0: picket's core ruleset.
  if (process.env.PICKET_E2E_CRS !== '0') picket.environment.PICKET_CRS = '/opt/crs';
  // No registry for the socket proxy image: the e2e app image carries a read-only
  // proxy that allows the same GET endpoints and nothing else.
  proxy.image = APP_IMAGE;
  proxy.command = ['node', '/app/socket-proxy.mjs'];
  proxy.user = 'root';
  proxy.environment = { PORT: '2375' };
  proxy.healthcheck = { disable: true };
  app.image = APP_IMAGE;
  app.environment = { PORT: '8080', DRAIN_MS: String(DRAIN_MS), TASK_ID: '{{.Task.ID}}', TASK_SLOT: '{{.Task.Slot}}' };
  app.deploy.update_config.delay = '1s';
  return stringify(stack);
}

const INGRESS = `${RUN}i`;
const PUBLIC_NET = `${RUN}-public`;

/**
 * The ingress test stack: deploy/swarm/ingress.yml with local images, its
 * external network renamed for this run, no node-label placement (the test
 * does not label the node), and three app services: two labelled for picket
 * (by host, by path) and one not.
 */
async function makeIngressStack(port: number): Promise<string> {
  const stack = parse(await readFile(join(ROOT, 'deploy/swarm/ingress.yml'), 'utf8'));
  const { picket } = stack.services;
  const proxy = stack.services['socket-proxy'];
  picket.image = PICKET_IMAGE;
  picket.ports[0].published = port;
  picket.environment.PICKET_SWARM_NETWORK = PUBLIC_NET;
  picket.environment.PICKET_SWARM_RECONCILE = '1s';
  picket.environment.PICKET_LOG_LEVEL = 'warn';
  delete picket.deploy.placement;
  proxy.image = APP_IMAGE;
  proxy.command = ['node', '/app/socket-proxy.mjs'];
  proxy.user = 'root';
  proxy.environment = { PORT: '2375' };
  proxy.healthcheck = { disable: true };
  stack.networks['picket-public'] = { external: true, name: PUBLIC_NET };
  const app = (labels: Record<string, string>) => ({
    image: APP_IMAGE,
    environment: { PORT: '8080', DRAIN_MS: '500', TASK_ID: '{{.Task.ID}}' },
    networks: ['picket-public'],
    deploy: { replicas: 1, endpoint_mode: 'dnsrr', labels },
  });
  stack.services.shop = app({ 'picket.enable': 'true', 'picket.host': 'shop.test,*.shop.test', 'picket.port': '8080' });
  stack.services.api = app({ 'picket.enable': 'true', 'picket.path': '/api', 'picket.port': '8080', 'picket.mode': 'detect' });
  stack.services.hidden = app({});
  return stringify(stack);
}

const MIRROR = `${RUN}m`;
const MIRROR_CONFIG = `${RUN}-nginx-mirror`;
const NGINX_IMAGE = `picket-e2e-nginx:${RUN}`;
/** The mesh subnet, one of 10.231.1-254.0/24: a run of its own (mirror.yml's is 10.231.0.0/24). */
const MESH_SUBNET = `10.231.${randomInt(1, 255)}.0/24`;
/** Virtual IPs need IPVS in the kernel; without it the stack's services must use dnsrr (see mirror.yml). */
const HAS_IPVS = existsSync('/proc/net/ip_vs');

/**
 * The mirror test stack: deploy/swarm/mirror.yml as documented (its nginx image
 * comes from NGINX_IMAGE at deploy time, deploy/nginx/mirror.conf from the
 * external config), with local images, free loopback ports for nginx and
 * picket's admin listener (metrics), a mesh subnet for this run, and, on a
 * kernel without IPVS, dnsrr for app and picket (nginx restarts fast until
 * both names resolve).
 */
async function makeMirrorStack(port: number, adminPort: number): Promise<string> {
  const stack = parse(await readFile(join(ROOT, 'deploy/swarm/mirror.yml'), 'utf8'));
  const { nginx, picket, app } = stack.services;
  assert.match(nginx.image, /^\$\{NGINX_IMAGE:-nginx:[^}]+\}$/, 'mirror.yml takes its nginx image from NGINX_IMAGE');
  nginx.ports[0].published = port;
  stack.configs['picket-nginx-mirror'] = { external: true, name: MIRROR_CONFIG };
  stack.networks.mesh.ipam.config[0].subnet = MESH_SUBNET;
  picket.image = PICKET_IMAGE;
  picket.environment.PICKET_MIRROR_SOURCE = MESH_SUBNET;
  picket.environment.PICKET_LOG_LEVEL = 'warn';
  if (process.env.PICKET_E2E_CRS !== '0') picket.environment.PICKET_CRS = '/opt/crs';
  picket.ports = [{ target: 9090, published: adminPort, mode: 'host' }];
  app.image = APP_IMAGE;
  app.environment = { ...app.environment, TASK_ID: '{{.Task.ID}}', DRAIN_MS: '500' };
  if (!HAS_IPVS) {
    app.deploy.endpoint_mode = 'dnsrr';
    picket.deploy.endpoint_mode = 'dnsrr';
    nginx.deploy = { restart_policy: { delay: '1s' } };
  }
  return stringify(stack);
}

interface Sample {
  readonly at: number;
  readonly status: number;
  readonly task?: string;
  readonly drainingMs?: number;
  readonly error?: string;
  readonly path: string;
}

function get(port: number, path: string, agent: Agent, host?: string): Promise<Sample> {
  return new Promise((resolvePromise) => {
    const headers = host === undefined ? {} : { host };
    const req = request({ host: '127.0.0.1', port, path, agent, headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => {
        const task = res.headers['x-task'];
        const draining = res.headers['x-draining-ms'];
        resolvePromise({
          at: Date.now(),
          status: res.statusCode ?? 0,
          path,
          ...(typeof task === 'string' ? { task } : {}),
          ...(typeof draining === 'string' ? { drainingMs: Number(draining) } : {}),
        });
      });
      res.on('error', (e) => resolvePromise({ at: Date.now(), status: 0, path, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolvePromise({ at: Date.now(), status: 0, path, error: e.message }));
    req.end();
  });
}

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly task?: string;
  readonly answer: string;
  readonly error?: string;
  /** Request sent → answer read. */
  readonly ms: number;
}

/** One request with an optional form body; resolves with the whole answer (never rejects). */
function send(port: number, agent: Agent, method: string, path: string, body = ''): Promise<Exchange> {
  const headers: Record<string, string> = { host: 'shop.test', accept: '*/*', 'user-agent': 'picket-e2e' };
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  const start = performance.now();
  return new Promise((resolvePromise) => {
    const done = (status: number, answer: string, task?: string, error?: string) =>
      resolvePromise({ method, path, body, status, answer, ms: performance.now() - start, ...(task === undefined ? {} : { task }), ...(error === undefined ? {} : { error }) });
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const task = res.headers['x-task'];
        done(res.statusCode ?? 0, Buffer.concat(chunks).toString(), typeof task === 'string' ? task : undefined);
      });
      res.on('error', (e) => done(0, '', undefined, e.message));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done(0, '', undefined, e.message));
    req.end(body);
  });
}

type Planned = readonly [method: string, path: string, body: string];

/** Attacks CRS (and picket's core ruleset) score past the inbound threshold: in the query, and in a form body. */
const MIRROR_ATTACKS: readonly ((id: string) => Planned)[] = [
  (id: string) => ['GET', `/search?q=1%27%20OR%20%271%27=%271&r=${id}`, ''],
  (id: string) => ['GET', `/page?n=<script>alert(1)</script>&r=${id}`, ''],
  (id: string) => ['GET', `/files?name=../../../../etc/passwd&r=${id}`, ''],
  (id: string) => ['POST', `/comment?r=${id}`, 'text=1%27+UNION+SELECT+pass+FROM+users'],
];

/**
 * Bounded traffic for the mirror stack: `count` requests over 4 keep-alive
 * connections, one in ten an attack; every URI carries r=<tag>-<index>.
 */
async function mirrorTraffic(port: number, count: number, tag: string): Promise<(Exchange & { attack: boolean })[]> {
  const plan = Array.from({ length: count }, (_, i) => {
    const id = `${tag}-${i}`;
    if (i % 10 === 5) return { attack: true, request: MIRROR_ATTACKS[(i / 10 | 0) % MIRROR_ATTACKS.length]!(id) };
    const request: Planned = i % 3 === 0 ? ['POST', `/comment?r=${id}`, `text=a+nice+product%2C+${i}+of+5`] : ['GET', `/products?page=${i}&r=${id}`, ''];
    return { attack: false, request };
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const results: (Exchange & { attack: boolean })[] = [];
  let next = 0;
  try {
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < plan.length) {
        const { attack, request: [method, path, body] } = plan[next++]!;
        results.push({ ...(await send(port, agent, method, path, body)), attack });
      }
    }));
  } finally {
    agent.destroy();
  }
  return results;
}

/** Whether an exchange got the app's own answer to exactly that request (from one of `tasks`). */
function answeredByApp(x: Exchange, tasks: ReadonlySet<string>): boolean {
  if (x.status !== 200 || x.task === undefined || !tasks.has(x.task)) return false;
  try {
    const seen = JSON.parse(x.answer) as { task?: string; method?: string; url?: string; bodyBytes?: number };
    return seen.task === x.task && seen.method === x.method && seen.url === x.path && seen.bodyBytes === Buffer.byteLength(x.body);
  } catch {
    return false;
  }
}

/** Sums picket_requests_total{mode="mirror"} by verdict from the admin listener's /metrics. */
async function mirrorCounts(adminPort: number): Promise<Map<string, number>> {
  const text = await new Promise<string>((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port: adminPort, path: '/metrics', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolvePromise(body) : reject(new Error(`/metrics: ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^picket_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1]!;
    const verdict = /verdict="([^"]+)"/.exec(labels)?.[1];
    if (!labels.includes('mode="mirror"') || verdict === undefined) continue;
    counts.set(verdict, (counts.get(verdict) ?? 0) + Number(m[2]));
  }
  const dropped = /^picket_mirror_dropped_total (\S+)$/m.exec(text);
  counts.set('dropped', Number(dropped?.[1] ?? 0));
  return counts;
}

/**
 * Everything a service's containers (exited ones included) wrote, read with
 * `docker logs`: `docker service logs` was seen to hang for minutes on a
 * service whose first tasks had failed (nginx before its upstreams resolved).
 */
async function serviceLogs(service: string): Promise<string> {
  const { stdout } = await sh('docker', ['ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${service}`]);
  let text = '';
  for (const id of stdout.split('\n').filter(Boolean)) {
    const out = await sh('docker', ['logs', id], { timeoutMs: 20_000 });
    text += `${out.stdout}\n${out.stderr}\n`;
  }
  return text;
}

/** Median and max of the exchanges' times: figures for the log, never asserted. */
function latency(exchanges: readonly Exchange[]): string {
  const ms = exchanges.map((x) => x.ms).sort((a, b) => a - b);
  return `median ${ms[ms.length >> 1]?.toFixed(1)} ms, max ${ms.at(-1)?.toFixed(1)} ms`;
}

const total = (counts: Map<string, number>) => [...counts].filter(([k]) => k !== 'dropped').reduce((sum, [, n]) => sum + n, 0);
const delta = (now: Map<string, number>, before: Map<string, number>, key: string) => (now.get(key) ?? 0) - (before.get(key) ?? 0);

/** Continuous traffic: `workers` sequential loops, bounded in count and by stop(). */
/** For a time-out message: the app tasks the watcher sees and what the last requests got. */
function discoveryState(tasks: ReturnType<typeof watchTasks>, samples: readonly Sample[]): string {
  const states = [...tasks.tasks.values()].map((t) => `${t.id.slice(0, 12)}:${t.stoppedAt !== undefined ? 'stopped' : t.leavingAt !== undefined ? 'leaving' : t.runningAt !== undefined ? 'running' : 'new'}`);
  const served = new Set(samples.map((s) => s.task?.slice(0, 12)).filter((t) => t !== undefined));
  const last = samples.slice(-5).map((s) => `${s.status}${s.task ? ` ${s.task.slice(0, 12)}` : ''}${s.error ? ` ${s.error}` : ''}`);
  return `tasks ${states.join(' ')}; ${samples.length} requests, served by ${[...served].join(',')}; last: ${last.join(' | ')}`;
}

function startTraffic(port: number, workers = 4, maxRequests = 100_000) {
  const samples: Sample[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running && samples.length < maxRequests) {
      samples.push(await get(port, '/', agent));
      await sleep(5);
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

interface TaskRecord {
  id: string;
  runningAt?: number;
  leavingAt?: number;
  stoppedAt?: number;
  /** Swarm deleted the task before a poll saw it stopped: stoppedAt is when the poll noticed (a later bound). */
  vanished?: boolean;
}

/** Polls the app's tasks (all states) and records when each one ran, was told to leave, and stopped. */
function watchTasks(docker: Docker) {
  const tasks = new Map<string, TaskRecord>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const list = (await docker.listTasks({ filters: { service: [APP_SERVICE] } })) as {
          ID: string;
          DesiredState: string;
          Status: { State: string; Timestamp: string };
        }[];
        const present = new Set<string>();
        for (const t of list) {
          present.add(t.ID);
          const record = tasks.get(t.ID) ?? { id: t.ID };
          tasks.set(t.ID, record);
          const at = Date.parse(t.Status.Timestamp);
          if (t.Status.State === 'running' && record.runningAt === undefined) record.runningAt = at;
          if (t.DesiredState !== 'running' && record.leavingAt === undefined) record.leavingAt = Date.now();
          if (STOPPED.has(t.Status.State) && record.stoppedAt === undefined) record.stoppedAt = at;
        }
        // Scaled-away tasks (desired state 'remove') are deleted once their container stops.
        for (const record of tasks.values()) {
          if (!present.has(record.id) && record.stoppedAt === undefined) {
            record.stoppedAt = Date.now();
            record.vanished = true;
          }
        }
      } catch {
        // a transient API error only delays the next poll
      }
      await sleep(100);
    }
  })();
  return {
    tasks,
    runningNow: () => [...tasks.values()].filter((t) => t.runningAt !== undefined && t.leavingAt === undefined && t.stoppedAt === undefined),
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function dockerReady(): Promise<string | null> {
  try {
    const { stdout } = await sh('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], { timeoutMs: 20_000 });
    return stdout.trim() === 'active' ? null : 'the Docker engine is not in swarm mode';
  } catch (error) {
    return `docker does not answer (${(error as Error).message.split('\n')[0]})`;
  }
}

/** On failure: what Swarm and the services said, so a red CI run can be read without rerunning it. */
async function diagnose(stack: string, services: string[]): Promise<void> {
  const show = async (args: string[]) => {
    try {
      const { stdout, stderr } = await sh('docker', args, { timeoutMs: 20_000 });
      console.log(`# $ docker ${args.join(' ')}\n${(stdout + stderr).trim().split('\n').slice(-40).map((l) => `#   ${l}`).join('\n')}`);
    } catch (error) {
      console.log(`# $ docker ${args.join(' ')}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  await show(['stack', 'ps', '--no-trunc', '--format', '{{.Name}} {{.DesiredState}} {{.CurrentState}} {{.Error}}', stack]);
  for (const service of services) await show(['service', 'logs', '--tail', '40', `${stack}_${service}`]);
}

/** Runs a scenario; on failure prints what Swarm and the services said first. */
async function withDiagnosis(stack: string, services: string[], scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    await diagnose(stack, services);
    throw error;
  }
}

/**
 * Removes a stack and waits until its containers and networks are gone. `docker stack rm`
 * removes the services, then the networks at once: a network whose tasks are still stopping
 * fails with "is in use by task" (seen in CI) and is left behind, so leftover networks are
 * removed again once the containers are gone.
 */
async function removeStack(stack: string): Promise<void> {
  const label = `label=com.docker.stack.namespace=${stack}`;
  await sh('docker', ['stack', 'rm', stack]).catch((error: Error) => {
    if (!/is in use by task/.test(error.message)) throw error;
    log(`stack ${stack}: a network was still in use by a stopping task; removing it once the containers are gone`);
  });
  await waitUntil(`the containers of ${stack} to go`, 60_000, async () => {
    const { stdout } = await sh('docker', ['ps', '-aq', '--filter', label]);
    return stdout.trim() === '';
  }, 500);
  let lastError = '';
  await waitUntil(`the networks of ${stack} to go`, 30_000, async () => {
    const { stdout } = await sh('docker', ['network', 'ls', '-q', '--filter', label]);
    const networks = stdout.split('\n').filter(Boolean);
    if (networks.length === 0) return true;
    // Still in use (a task's endpoint not yet released): the next poll tries again.
    await sh('docker', ['network', 'rm', ...networks]).catch((error: Error) => (lastError = error.message));
    return false;
  }, 500, () => lastError || 'the networks are still listed');
}

describe('picket on a single-node Docker Swarm', { timeout: 6 * 60_000 }, () => {
  const docker = new Docker();
  let context = '';
  let port = 0;
  let ingressPort = 0;
  let mirrorPort = 0;
  let adminPort = 0;
  let buildMs = 0;
  let reachable = false;

  before(async () => {
    const problem = await dockerReady();
    reachable = problem === null;
    assert.equal(
      problem,
      null,
      `${problem}: run scripts/docker-setup.sh (installs docker.io, starts dockerd, inits a single-node swarm), then rerun`,
    );
    await sh(join(ROOT, 'scripts/docker-base-image.sh'), [], { timeoutMs: 180_000 });
    context = await mkdtemp(join(tmpdir(), 'picket-e2e-'));
    await makeContext(join(context, 'picket'));
    port = await freePort();
    ingressPort = await freePort();
    mirrorPort = await freePort();
    adminPort = await freePort();
    await writeFile(join(context, 'stack.yml'), await makeStack(port));
    await writeFile(join(context, 'ingress.yml'), await makeIngressStack(ingressPort));
    await writeFile(join(context, 'mirror.yml'), await makeMirrorStack(mirrorPort, adminPort));
    const t0 = Date.now();
    // The stages are tagged too, so cleanup removes exactly what this run built
    // (other runs may build on the same engine at the same time).
    const build = (args: string[]) => sh('docker', ['build', '-q', '--build-arg', 'CRS_SOURCE=context', ...args, join(context, 'picket')], { timeoutMs: 240_000 });
    await build(['--target', 'build', '-t', STAGE_IMAGES[0]]);
    await build(['--target', 'crs', '-t', STAGE_IMAGES[1]]);
    await build(['-t', PICKET_IMAGE]);
    buildMs = Date.now() - t0;
    await sh('docker', ['build', '-q', '-t', APP_IMAGE, join(ROOT, 'test/e2e/app')], { timeoutMs: 120_000 });
    // No nginx image can be pulled: one from this machine's Debian nginx, under a name of this run's.
    await sh(join(ROOT, 'scripts/docker-nginx-image.sh'), [NGINX_IMAGE], { timeoutMs: 60_000 });
  });

  after(async () => {
    if (!reachable) return; // nothing was created
    const errors: string[] = [];
    const attempt = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (error) {
        errors.push(`${what}: ${(error as Error).message}`);
      }
    };
    for (const stack of [RUN, INGRESS, MIRROR]) await attempt(`stack ${stack}`, () => removeStack(stack));
    await attempt('nginx config', async () => {
      const { stdout } = await sh('docker', ['config', 'ls', '--format', '{{.Name}}']);
      if (stdout.split('\n').includes(MIRROR_CONFIG)) await sh('docker', ['config', 'rm', MIRROR_CONFIG]);
    });
    await attempt('public network', async () => {
      const { stdout } = await sh('docker', ['network', 'ls', '--format', '{{.Name}}']);
      if (stdout.split('\n').includes(PUBLIC_NET)) await sh('docker', ['network', 'rm', PUBLIC_NET]);
    });
    await attempt('images rm', async () => {
      const { stdout } = await sh('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
      const ours = [PICKET_IMAGE, APP_IMAGE, NGINX_IMAGE, ...STAGE_IMAGES].filter((tag) => stdout.split('\n').includes(tag));
      if (ours.length > 0) await sh('docker', ['image', 'rm', ...ours]);
    });
    if (context !== '') await attempt('temp dir', () => rm(context, { recursive: true, force: true }));
    if (errors.length > 0) console.log(`# e2e cleanup problems:\n# ${errors.join('\n# ')}`);
  });

  it('image: built from the Dockerfile, non-root, CRS from the build context in /opt/crs', async () => {
    const size = Number((await sh('docker', ['image', 'inspect', '--format', '{{.Size}}', PICKET_IMAGE])).stdout.trim());
    const crsFiles = (await sh('docker', ['run', '--rm', '--entrypoint', 'ls', PICKET_IMAGE, '/opt/crs/rules'])).stdout.split('\n');
    const user = (await sh('docker', ['image', 'inspect', '--format', '{{.Config.User}}', PICKET_IMAGE])).stdout.trim();
    log(`picket image built in ${buildMs} ms: ${(size / 1e6).toFixed(1)} MB, user ${user}, ${crsFiles.filter((f) => f.endsWith('.conf')).length} CRS rule files`);
    assert.equal(user, 'node', 'the image runs as the non-root node user');
    assert.ok(crsFiles.includes('REQUEST-942-APPLICATION-ATTACK-SQLI.conf'), 'CRS from the build context is in /opt/crs');
  });

  it('sidecar: rides out a Docker API outage, follows scaling 2 → 5 → 1 and a rolling update without failed requests, blocks attacks', () =>
    withDiagnosis(RUN, ['picket', 'socket-proxy', 'app'], sidecar));

  it('ingress: routes labelled services by host and path, follows label changes, skips the rest', () =>
    withDiagnosis(INGRESS, ['picket', 'socket-proxy', 'shop', 'api'], ingress));

  it('mirror: nginx serves the app and mirrors every request to picket, which records attacks as would-block; picket down changes nothing for clients', () =>
    withDiagnosis(MIRROR, ['nginx', 'picket', 'app'], mirror));

  async function sidecar(): Promise<void> {
    const t0 = Date.now();
    await sh('docker', ['stack', 'deploy', '-c', join(context, 'stack.yml'), RUN]);
    const agent = new Agent({ keepAlive: false });
    const seen = new Set<string>();
    await waitUntil('picket to serve both app replicas', 120_000, async () => {
      const s = await get(port, '/', agent);
      if (s.status === 200 && s.task) seen.add(s.task);
      return seen.size >= 2;
    }, 250);
    log(`stack up and both replicas served through 127.0.0.1:${port} after ${Date.now() - t0} ms`);

    const tasks = watchTasks(docker);
    const traffic = startTraffic(port);
    const trafficStart = Date.now();
    const attacks: Sample[] = [];
    let outageRequests = 0;
    const attack = async () => attacks.push(await get(port, ATTACK, agent));
    try {
      await sleep(1500);
      await attack();

      // Docker API outage: picket must keep routing to the pool it knows, then
      // recover (the scaling below only passes if discovery works again).
      log('Docker API outage: socket proxy scaled to 0 for 3 s');
      const outageFrom = traffic.samples.length;
      await sh('docker', ['service', 'scale', '-d', `${RUN}_socket-proxy=0`]);
      await waitUntil('the socket proxy to stop', 30_000, async () => {
        const { stdout } = await sh('docker', ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${RUN}_socket-proxy`]);
        return stdout.trim() === '';
      }, 250);
      await sleep(3000);
      outageRequests = traffic.samples.length - outageFrom;
      await sh('docker', ['service', 'scale', '-d', `${RUN}_socket-proxy=1`]);
      await waitUntil('the socket proxy to run again', 30_000, async () => {
        const { stdout } = await sh('docker', ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${RUN}_socket-proxy`]);
        return stdout.trim() !== '';
      }, 250);

      log('scale 2 → 5');
      await sh('docker', ['service', 'scale', '-d', `${APP_SERVICE}=5`]);
      await waitUntil('5 running replicas, each served', 90_000, () => {
        const up = tasks.runningNow();
        return up.length === 5 && up.every((t) => traffic.samples.some((s) => s.task === t.id));
      }, 200, () => discoveryState(tasks, traffic.samples));
      await attack();

      log('scale 5 → 1');
      await sh('docker', ['service', 'scale', '-d', `${APP_SERVICE}=1`]);
      await waitUntil('4 replicas stopped', 60_000, () => [...tasks.tasks.values()].filter((t) => t.stoppedAt !== undefined).length >= 4);
      await attack();

      log('rolling update (start-first)');
      const before = new Set(tasks.runningNow().map((t) => t.id));
      await sh('docker', ['service', 'update', '-d', '--force', APP_SERVICE]);
      await waitUntil('the replaced replica to stop and its successor to serve', 90_000, () => {
        const up = tasks.runningNow();
        const oldStopped = [...before].every((id) => tasks.tasks.get(id)?.stoppedAt !== undefined);
        return oldStopped && up.length === 1 && up.every((t) => !before.has(t.id) && traffic.samples.some((s) => s.task === t.id));
      }, 200, () => `replaced ${[...before].join(',')}; ${discoveryState(tasks, traffic.samples)}`);
      await attack();
      await sleep(1000);
    } finally {
      await traffic.stop();
      await tasks.stop();
      agent.destroy();
    }

    // Figures.
    const samples = traffic.samples;
    const failed = samples.filter((s) => s.status !== 200);
    const firstSeen = new Map<string, number>();
    const lastSeen = new Map<string, number>();
    for (const s of samples) {
      if (!s.task) continue;
      if (!firstSeen.has(s.task)) firstSeen.set(s.task, s.at);
      lastSeen.set(s.task, s.at);
    }
    const fresh = [...tasks.tasks.values()].filter((t) => t.runningAt !== undefined && t.runningAt > trafficStart);
    const delays = fresh.map((t) => ({ id: t.id.slice(0, 12), ms: (firstSeen.get(t.id) ?? Infinity) - (t.runningAt ?? 0) }));
    const stopped = [...tasks.tasks.values()].filter((t) => t.stoppedAt !== undefined);
    const afterStop = stopped.filter((t) => (lastSeen.get(t.id) ?? 0) > (t.stoppedAt ?? 0));
    const draining = samples.filter((s) => s.drainingMs !== undefined);
    const maxDraining = Math.max(0, ...draining.map((s) => s.drainingMs ?? 0));
    const seconds = (samples.at(-1)!.at - samples[0]!.at) / 1000;

    log(`requests: ${samples.length} in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)}/s), failed: ${failed.length}; ${outageRequests} served while the Docker API was down`);
    log(`new replicas (task running → first response through picket): ${delays.map((d) => `${d.id} ${d.ms} ms`).join(', ')}`);
    log(`max ${Math.max(...delays.map((d) => d.ms))} ms over ${delays.length} new replicas`);
    log(`replicas stopped: ${stopped.length} (${stopped.filter((t) => t.vanished).length} seen only as deleted); answered after their task stopped: ${afterStop.length}`);
    log(`requests answered by a replica after its SIGTERM: ${draining.length} (latest ${maxDraining} ms after it; drain window ${DRAIN_MS} ms)`);
    log(`attacks: ${attacks.map((a) => a.status).join(', ')}`);

    assert.deepEqual(failed.slice(0, 5), [], `${failed.length} failed requests during the outage, scale and roll`);
    assert.ok(outageRequests > 0, 'traffic flowed while the Docker API was down');
    assert.ok(fresh.length >= 4, `expected at least 4 new replicas (3 from scaling, 1 from the roll), saw ${fresh.length}`);
    for (const d of delays) assert.ok(d.ms <= NEW_REPLICA_LIMIT_MS, `replica ${d.id} first served ${d.ms} ms after running`);
    assert.ok(stopped.length >= 5, `expected at least 5 stopped replicas (4 scaled away, 1 replaced), saw ${stopped.length}`);
    assert.deepEqual(afterStop.map((t) => t.id), [], 'no replica answers after its task stopped');
    assert.ok(maxDraining < DRAIN_MS, 'picket stopped sending to leaving replicas before they exited');
    assert.deepEqual(attacks.map((a) => a.status), [403, 403, 403, 403]);
    await removeStack(RUN); // frees the machine for the ingress scenario
  }

  async function ingress(): Promise<void> {
    await sh('docker', ['network', 'create', '--driver', 'overlay', '--attachable', PUBLIC_NET]);
    const t0 = Date.now();
    await sh('docker', ['stack', 'deploy', '-c', join(context, 'ingress.yml'), INGRESS]);
    const agent = new Agent({ keepAlive: false });
    const taskOf = async (service: string) => {
      const list = (await docker.listTasks({ filters: { service: [`${INGRESS}_${service}`], 'desired-state': ['running'] } })) as { ID: string }[];
      return new Set(list.map((t) => t.ID));
    };
    try {
      await waitUntil('both labelled services to be routed', 120_000, async () => {
        const [shop, api] = await Promise.all([get(ingressPort, '/', agent, 'shop.test'), get(ingressPort, '/api/x', agent, 'any.test')]);
        return shop.status === 200 && api.status === 200;
      }, 250);
      log(`ingress stack up after ${Date.now() - t0} ms`);
      const [shopTasks, apiTasks, hiddenTasks] = await Promise.all([taskOf('shop'), taskOf('api'), taskOf('hidden')]);

      const byHost = await get(ingressPort, '/anything', agent, 'Shop.Test:8080');
      const byWildcard = await get(ingressPort, '/', agent, 'eu.shop.test');
      const byPath = await get(ingressPort, '/api/orders?id=7', agent, 'other.test');
      const noRoute = await get(ingressPort, '/', agent, 'other.test');
      const notPrefix = await get(ingressPort, '/apix', agent, 'other.test');
      const shopAttack = await get(ingressPort, ATTACK, agent, 'shop.test');
      const apiAttack = await get(ingressPort, `/api${ATTACK.slice(1)}`, agent, 'other.test');
      log(`ingress: host ${byHost.status}, wildcard ${byWildcard.status}, path ${byPath.status}, no route ${noRoute.status}, /apix ${notPrefix.status}, attack on shop (inline) ${shopAttack.status}, attack on api (picket.mode=detect) ${apiAttack.status}`);
      assert.ok(byHost.status === 200 && shopTasks.has(byHost.task ?? ''), 'Host shop.test reaches shop');
      assert.ok(byWildcard.status === 200 && shopTasks.has(byWildcard.task ?? ''), '*.shop.test reaches shop');
      assert.ok(byPath.status === 200 && apiTasks.has(byPath.task ?? ''), '/api/... reaches api');
      assert.equal(noRoute.status, 404, 'no route for another host outside /api');
      assert.equal(notPrefix.status, 404, '/apix is not under /api');
      assert.equal(shopAttack.status, 403, 'attack on the inline service is blocked');
      assert.ok(apiAttack.status === 200 && apiTasks.has(apiAttack.task ?? ''), 'attack on the detect-only service is forwarded');
      assert.ok(![byHost, byWildcard, byPath, noRoute, notPrefix].some((s) => hiddenTasks.has(s.task ?? '')), 'the unlabelled service is never reached');

      // Labels are read live: a new host routes within a reconcile, an invalid label drops the service.
      let t1 = Date.now();
      await sh('docker', ['service', 'update', '-d', '--label-add', 'picket.host=new.test', `${INGRESS}_shop`]);
      await waitUntil('the new host to route', 30_000, async () => (await get(ingressPort, '/', agent, 'new.test')).status === 200, 100);
      const hostChangeMs = Date.now() - t1;
      t1 = Date.now();
      await sh('docker', ['service', 'update', '-d', '--label-add', 'picket.paranoia=9', `${INGRESS}_shop`]);
      await waitUntil('the invalid service to be dropped', 30_000, async () => (await get(ingressPort, '/', agent, 'new.test')).status === 404, 100);
      const dropMs = Date.now() - t1;
      log(`label change routed after ${hostChangeMs} ms; invalid label dropped the service after ${dropMs} ms`);
      // Service logs reach `docker service logs` with a delay: poll for the error line.
      const skipped = /service '\w+_shop' skipped: label picket\.paranoia=\\?"9\\?": expected an integer from 1 to 4/;
      let logs = '';
      await waitUntil('the skipped-service error in picket\'s log', 20_000, async () => {
        const out = await sh('docker', ['service', 'logs', '--raw', `${INGRESS}_picket`]);
        logs = out.stdout + out.stderr;
        return skipped.test(logs);
      }, 1000).catch(() => undefined);
      assert.match(logs, skipped);
      assert.equal((await get(ingressPort, '/api/x', agent, 'other.test')).status, 200, 'the other service keeps routing');
    } finally {
      agent.destroy();
    }
  }

  async function mirror(): Promise<void> {
    // As deploy/swarm/mirror.yml's header says: the nginx config first, then the stack.
    await sh('docker', ['config', 'create', MIRROR_CONFIG, join(ROOT, 'deploy/nginx/mirror.conf')]);
    const t0 = Date.now();
    await sh('docker', ['stack', 'deploy', '-c', join(context, 'mirror.yml'), MIRROR], { env: { ...process.env, NGINX_IMAGE } });
    const nginxImage = (await sh('docker', ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${MIRROR}_nginx`])).stdout.trim();
    assert.equal(nginxImage, NGINX_IMAGE, 'NGINX_IMAGE chose the nginx image');
    const appTasks = async () => {
      const list = (await docker.listTasks({ filters: { service: [`${MIRROR}_app`] } })) as { ID: string }[];
      return new Set(list.map((t) => t.ID));
    };
    const probe = new Agent({ keepAlive: false });
    let baseline = new Map<string, number>();
    try {
      // Ready: nginx answers with the app, and picket counted a mirrored copy of that probe.
      await waitUntil('nginx to serve the app and mirror to picket', 120_000, async () => {
        const answer = await send(mirrorPort, probe, 'GET', '/ready');
        if (answer.status !== 200) return false;
        baseline = await mirrorCounts(adminPort).catch(() => new Map());
        return total(baseline) > 0;
      }, 300);
    } finally {
      probe.destroy();
    }
    // The probes' copies reach picket after their answers: the baseline is taken once the count settles.
    await waitUntil('picket to count the probes\' copies', 10_000, async () => {
      const again = await mirrorCounts(adminPort);
      const settled = total(again) === total(baseline);
      baseline = again;
      return settled;
    }, 500);
    log(`mirror stack up after ${Date.now() - t0} ms (${HAS_IPVS ? 'virtual IPs' : 'no IPVS in this kernel: dnsrr'}, nginx image ${NGINX_IMAGE}, mesh ${MESH_SUBNET})`);

    const t1 = Date.now();
    const exchanges = await mirrorTraffic(mirrorPort, 200, 'up');
    const trafficMs = Date.now() - t1;
    const attackPaths = exchanges.filter((x) => x.attack).map((x) => x.path);
    let tasks = await appTasks();
    const wrong = exchanges.filter((x) => !answeredByApp(x, tasks));
    log(`through nginx: ${exchanges.length} requests (${attackPaths.length} attacks) in ${trafficMs} ms (${latency(exchanges)}); not the app's own answer: ${wrong.length}`);
    assert.equal(attackPaths.length, 20);
    assert.deepEqual(wrong.slice(0, 3), [], `${wrong.length} responses were not the app's answer to the request sent`);

    // picket saw every copy: 200 more mirrored transactions, exactly the 20 attacks would-block, none dropped.
    let counts = baseline;
    await waitUntil('picket to count the 200 mirrored copies', 30_000, async () => {
      counts = await mirrorCounts(adminPort);
      return total(counts) - total(baseline) >= 200;
    }, 250).catch(() => undefined);
    const figures = `mirrored ${total(counts) - total(baseline)}, would-block ${delta(counts, baseline, 'would-block')}, allowed ${delta(counts, baseline, 'allowed')}, dropped ${counts.get('dropped')}`;
    log(`picket metrics: ${figures}`);
    assert.equal(total(counts) - total(baseline), 200, figures);
    assert.equal(delta(counts, baseline, 'would-block'), 20, figures);
    assert.equal(delta(counts, baseline, 'allowed'), 180, figures);
    assert.equal(counts.get('dropped'), 0, figures);

    // The audit log (stdout): one would-block line per attack, with the original URI and the client (not nginx).
    type Line = { mode?: string; verdict?: string; client?: { address: string }; request?: { method: string; uri: string }; interruption?: { ruleId?: number } };
    let audit: Line[] = [];
    await waitUntil('the 20 attacks in picket\'s audit log', 30_000, async () => {
      audit = (await serviceLogs(`${MIRROR}_picket`)).split('\n').flatMap((line) => {
        if (!line.startsWith('{') || !line.includes('"verdict"')) return [];
        try {
          // Audit lines, not the logger's warnings about the same requests (those have a level and a msg).
          const parsed = JSON.parse(line) as Line & { level?: unknown };
          return parsed.level === undefined && typeof parsed.client === 'object' ? [parsed] : [];
        } catch {
          return [];
        }
      }).filter((l) => l.request?.uri.includes('r=up-') === true);
      return audit.length >= 20;
    }, 1000).catch(() => undefined);
    const meshPrefix = MESH_SUBNET.replace(/\.0\/24$/, '.');
    log(`audit lines for this traffic: ${audit.length}: ${[...new Set(audit.map((l) => `${l.mode}/${l.verdict}`))].join(', ')}; clients ${[...new Set(audit.map((l) => l.client?.address))].join(', ')}`);
    assert.deepEqual(audit.map((l) => l.request?.uri).sort(), [...attackPaths].sort(), 'exactly the attacks are audited, each with its original URI');
    for (const line of audit) {
      assert.equal(line.mode, 'mirror');
      assert.equal(line.verdict, 'would-block', line.request?.uri);
      assert.ok(line.interruption?.ruleId !== undefined, `${line.request?.uri}: the interrupting rule is named`);
      assert.ok(line.client?.address && !line.client.address.startsWith(meshPrefix), `client ${line.client?.address}: from X-Forwarded-For, not nginx's mesh address`);
    }
    assert.ok(audit.some((l) => l.request?.method === 'POST'), 'an attack in a form body reached picket through the mirror');

    // picket gone: clients see no difference.
    await sh('docker', ['service', 'scale', '-d', `${MIRROR}_picket=0`]);
    await waitUntil('picket to stop', 60_000, async () => {
      const { stdout } = await sh('docker', ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${MIRROR}_picket`]);
      return stdout.trim() === '';
    }, 250);
    const t2 = Date.now();
    const without = await mirrorTraffic(mirrorPort, 100, 'down');
    tasks = await appTasks();
    const failedWithout = without.filter((x) => !answeredByApp(x, tasks));
    log(`picket scaled to 0: ${without.length} requests through nginx in ${Date.now() - t2} ms (${latency(without)}), not the app's own answer: ${failedWithout.length}`);
    assert.deepEqual(failedWithout.slice(0, 3), [], `${failedWithout.length} requests failed or changed with picket down`);
    // ... while nginx did try to mirror them: its error log names the failed mirror subrequests.
    let mirrorErrors = 0;
    await waitUntil('nginx\'s errors for the failed mirror copies', 10_000, async () => {
      const lines = (await serviceLogs(`${MIRROR}_nginx`)).split('\n');
      mirrorErrors = lines.filter((l) => l.includes('subrequest: "/_picket_mirror"') && l.includes('r=down-')).length;
      return mirrorErrors > 0;
    }, 500).catch(() => undefined);
    log(`nginx error lines for mirror copies that found no picket: ${mirrorErrors}`);
    assert.ok(mirrorErrors > 0, 'nginx attempted the mirror copies while picket was down');
    await removeStack(MIRROR);
    await sh('docker', ['config', 'rm', MIRROR_CONFIG]);
  }
});
