/**
 * Starts what the CRS suite runs against: the albedo-compatible backend and
 * picket in-process (createProxy in detect mode on 127.0.0.1:0) with CRS
 * loaded as CRS's own test container loads it:
 *
 *   test/crs/crs-test-setup.conf → <crs>/crs-setup.conf.example → <crs>/rules/*.conf
 *
 * In-process keeps the suite fast (no audit file to tail); the collector is
 * the proxy's Observer, so the runner reads the same TransactionReport the
 * audit log is written from.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { PicketConfig } from '../../src/config/types.ts';
import type { RuleSource, Waf } from '../../src/engine/api.ts';
import type { Observer } from '../../src/observability/types.ts';
import { startBackend, type Backend } from './backend.ts';
import { ReportCollector } from './collector.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');
export const DEFAULT_CRS_DIR = resolve(REPO_ROOT, '../shared/crs-4.28.0');
export const SETUP_FILE = join(HERE, 'crs-test-setup.conf');

/** The rule sources of the CRS test setup, in load order. */
export function crsTestSources(crsDir: string): RuleSource[] {
  const rulesDir = join(crsDir, 'rules');
  const ruleFiles = readdirSync(rulesDir)
    .filter((name) => name.endsWith('.conf'))
    .sort()
    .map((name) => ({ file: join(rulesDir, name) }));
  return [{ file: SETUP_FILE }, { file: join(crsDir, 'crs-setup.conf.example') }, ...ruleFiles];
}

/** Picket's configuration for the suite: detect mode, one static upstream, generous limits. */
export function suiteConfig(upstream: string, crsDir: string): PicketConfig {
  return Object.freeze({
    mode: 'detect',
    listen: { host: '127.0.0.1', port: 0 },
    admin: null,
    upstreams: [upstream],
    rules: {
      files: [],
      crsDir,
      crsSetup: join(crsDir, 'crs-setup.conf.example'),
      paranoiaLevel: 4,
      inboundAnomalyThreshold: 5,
      outboundAnomalyThreshold: 4,
    },
    limits: {
      requestBody: 13107200,
      requestBodyNoFiles: 131072,
      requestBodyAction: 'Reject',
      responseBody: 1048576,
      headerBytes: 64 * 1024,
      uriLength: 64 * 1024,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      upstreamTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
    },
    trustedProxies: [],
    mirror: { sources: [], queueSize: 16 },
    audit: { path: null, all: true },
    logLevel: 'error',
    swarm: null,
  } satisfies PicketConfig);
}

/** The surface of src/proxy the runner needs (ProxyOptions in src/proxy/types.ts). */
interface ProxyHandle {
  listen(): Promise<unknown>;
  close(): Promise<void>;
  applySnapshot?(snapshot: unknown): void;
  address?(): AddressInfo | null;
}
type CreateProxy = (options: {
  config: PicketConfig;
  wafFor: () => Waf;
  observer: Observer;
  logger: { error(o: object, m?: string): void; warn(o: object, m?: string): void; info(o: object, m?: string): void; debug(o: object, m?: string): void };
}) => ProxyHandle;
type CreateWaf = (sources: readonly RuleSource[]) => Waf | Promise<Waf>;

/** Imports a module that another engineer is writing; fails with what is missing. */
async function importPart<T>(relativePath: string, name: string): Promise<T> {
  const path = join(REPO_ROOT, relativePath);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(path)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${relativePath} (${name}): ${(error as Error).message}`, { cause: error });
  }
  const value = mod[name];
  if (typeof value !== 'function') throw new Error(`${relativePath} does not export ${name}()`);
  return value as T;
}

export async function loadCrsWaf(crsDir: string): Promise<{ waf: Waf; loadMs: number }> {
  const createWaf = await importPart<CreateWaf>('src/engine/index.ts', 'createWaf');
  const started = performance.now();
  const waf = await createWaf(crsTestSources(crsDir));
  return { waf, loadMs: performance.now() - started };
}

export interface SuiteTarget {
  readonly host: string;
  readonly port: number;
  readonly backend: Backend;
  readonly collector: ReportCollector;
  readonly waf: Waf;
  readonly loadMs: number;
  close(): Promise<void>;
}

const quietLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** Finds the listening port whatever listen() returns (port, AddressInfo, URL string or server). */
function portOf(listened: unknown, proxy: ProxyHandle): number {
  if (typeof listened === 'number') return listened;
  if (typeof listened === 'string') return Number(new URL(listened).port);
  if (listened && typeof listened === 'object') {
    const l = listened as { port?: unknown; address?: unknown };
    if (typeof l.port === 'number') return l.port;
    if (typeof l.address === 'function') return ((l.address as () => AddressInfo)()).port;
  }
  const address = proxy.address?.();
  if (address) return address.port;
  throw new Error('cannot tell which port picket listens on: listen() returned ' + String(listened));
}

export async function startSuiteTarget(crsDir = DEFAULT_CRS_DIR): Promise<SuiteTarget> {
  const backend = await startBackend();
  try {
    const { waf, loadMs } = await loadCrsWaf(crsDir);
    const createProxy = await importPart<CreateProxy>('src/proxy/index.ts', 'createProxy');
    const collector = new ReportCollector();
    const proxy = createProxy({ config: suiteConfig(backend.url, crsDir), wafFor: () => waf, observer: collector, logger: quietLogger });
    const port = portOf(await proxy.listen(), proxy);
    return {
      host: '127.0.0.1',
      port,
      backend,
      collector,
      waf,
      loadMs,
      close: async () => {
        await proxy.close();
        await backend.close();
      },
    };
  } catch (error) {
    await backend.close();
    throw error;
  }
}
