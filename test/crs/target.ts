/**
 * What the CRS suite runs against: the albedo-compatible backend (in the
 * runner's thread) and picket in a worker thread (picket-worker.ts). The
 * runner reads the same TransactionReport the audit log is written from,
 * through the collector.
 *
 * If a transaction keeps picket's engine busy (a regex backtracking for a
 * minute), `recover()` finds the worker unresponsive, terminates it and
 * starts a fresh one; `port` then names the new listener.
 */
import { Worker } from 'node:worker_threads';
import type { TransactionReport } from '../../src/observability/types.ts';
import { startBackend, type Backend } from './backend.ts';
import { ReportCollector } from './collector.ts';
import { errorLogLine, type TransactionRecord } from './judge.ts';
import { sendRaw } from './send.ts';
import { DEFAULT_CRS_DIR } from './setup.ts';
import type { Observed, Target } from './suite.ts';

export { DEFAULT_CRS_DIR } from './setup.ts';

/** How long to wait for a transaction report after the response (a request picket never reports has none). */
const REPORT_GRACE_MS = 1000;

/**
 * The reports of one connection as one record. `refused` when the HTTP front
 * rejected every request on it before the engine saw it (verdict 'rejected'
 * with no engine time; picket also rejects some requests after inspecting them).
 */
export function recordOf(reports: readonly TransactionReport[]): TransactionRecord | null {
  if (reports.length === 0) return null;
  const status = reports[0]?.status;
  const matchedRules = reports.flatMap((r) => r.matchedRules);
  return {
    refused: reports.every((r) => r.verdict === 'rejected' && r.engineMs === 0 && r.matchedRules.length === 0),
    ids: reports.map((r) => r.id),
    ruleIds: matchedRules.map((r) => r.id),
    matchedRules,
    ...(status === undefined ? {} : { status }),
  };
}

export interface SuiteTarget extends Target {
  readonly host: string;
  /** Current listener (changes when the worker is restarted). */
  readonly port: number;
  readonly backend: Backend;
  readonly collector: ReportCollector;
  readonly ruleCount: number;
  readonly loadMs: number;
  /** Worker restarts after stalls so far. */
  readonly restarts: number;
  readonly engineErrors: readonly string[];
  /** Pings picket; restarts it when it does not answer within `pingMs`. Resolves true if it restarted. */
  recover(pingMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

interface Started {
  readonly worker: Worker;
  readonly port: number;
  readonly ruleCount: number;
  readonly loadMs: number;
}

type Message =
  | { type: 'ready'; port: number; ruleCount: number; loadMs: number }
  | { type: 'report'; report: TransactionReport }
  | { type: 'engineError'; message: string; transactionId: string }
  | { type: 'pong'; seq: number }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

function startWorker(crsDir: string, backendUrl: string, collector: ReportCollector, errors: string[]): Promise<Started> {
  const worker = new Worker(new URL('./picket-worker.ts', import.meta.url), { workerData: { crsDir, backendUrl } });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: Message) => {
      if (message.type === 'report') collector.transactionEnd(message.report);
      else if (message.type === 'engineError') errors.push(`${message.transactionId}: ${message.message}`);
      else if (message.type === 'ready') resolve({ worker, port: message.port, ruleCount: message.ruleCount, loadMs: message.loadMs });
      else if (message.type === 'failed') {
        void worker.terminate();
        reject(new Error(message.message));
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`picket worker exited (${code}) before it was ready`)));
  });
}

function ping(worker: Worker, timeoutMs: number, seq: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onMessage = (message: Message): void => {
      if (message.type === 'pong' && message.seq === seq) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    function done(ok: boolean): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(ok);
    }
    worker.on('message', onMessage);
    worker.postMessage({ type: 'ping', seq });
  });
}

export async function startSuiteTarget(crsDir = DEFAULT_CRS_DIR): Promise<SuiteTarget> {
  const backend = await startBackend();
  const collector = new ReportCollector();
  const engineErrors: string[] = [];
  let current: Started;
  try {
    current = await startWorker(crsDir, backend.url, collector, engineErrors);
  } catch (error) {
    await backend.close();
    throw error;
  }
  let restarts = 0;
  let seq = 0;
  let recovering: Promise<boolean> | null = null;
  return {
    sequential: false,
    host: '127.0.0.1',
    get port() {
      return current.port;
    },
    async observe(request: Buffer, timeoutMs: number, uri: string): Promise<Observed> {
      const exchange = await sendRaw('127.0.0.1', current.port, request, timeoutMs, (port) => collector.expect(port));
      const reports = exchange.localPort ? await collector.collect(exchange.localPort, REPORT_GRACE_MS) : [];
      const record = recordOf(reports);
      const logLines = (record?.matchedRules ?? []).map((rule) => errorLogLine(rule, uri, record?.ids[0] ?? ''));
      return { exchange, record, logLines };
    },
    backend,
    collector,
    ruleCount: current.ruleCount,
    loadMs: current.loadMs,
    get restarts() {
      return restarts;
    },
    engineErrors,
    recover(pingMs = 2000) {
      // One recovery at a time; concurrent callers share it.
      recovering ??= (async () => {
        if (await ping(current.worker, pingMs, ++seq)) return false;
        const stalled = current.worker;
        current = await startWorker(crsDir, backend.url, collector, engineErrors);
        restarts++;
        await stalled.terminate();
        return true;
      })().finally(() => {
        recovering = null;
      });
      return recovering;
    },
    async close() {
      const worker = current.worker;
      if (await ping(worker, 2000, ++seq)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 3000);
          worker.on('message', (m: Message) => {
            if (m.type === 'closed') {
              clearTimeout(timer);
              resolve();
            }
          });
          worker.postMessage({ type: 'close' });
        });
      }
      await worker.terminate();
      await backend.close();
    },
  };
}
