/**
 * picket for the CRS runner, in a worker thread: loads CRS with the test
 * setup, listens on 127.0.0.1:0 in detect mode, and posts every transaction
 * report to the runner. A worker (not the runner's own thread) so that a
 * transaction that keeps the engine busy cannot stop the runner's clock:
 * the runner notices the stall, terminates this worker and starts another.
 *
 * Messages out: {type:'ready', port, ruleCount, loadMs} | {type:'report', report}
 *   | {type:'engineError', message, transactionId} | {type:'pong', seq} | {type:'failed', message}
 * Messages in:  {type:'ping', seq} | {type:'close'}
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Observer, TransactionReport } from '../../src/observability/types.ts';
import { createWaf, RulesetError } from '../../src/engine/index.ts';
import { createProxy } from '../../src/proxy/index.ts';
import { crsTestSources, suiteConfig } from './setup.ts';

interface WorkerInput {
  readonly crsDir: string;
  readonly backendUrl: string;
}

const port = parentPort;
if (!port) throw new Error('picket-worker.ts runs as a worker thread');
const { crsDir, backendUrl } = workerData as WorkerInput;

const observer: Observer = {
  transactionEnd(report: TransactionReport) {
    port.postMessage({ type: 'report', report });
  },
  upstreamError() {},
  mirrorQueueDepth() {},
  mirrorDropped() {},
  engineError(error: unknown, transactionId: string) {
    port.postMessage({ type: 'engineError', message: (error as Error)?.stack ?? String(error), transactionId });
  },
};
const quiet = { error() {}, warn() {}, info() {}, debug() {} };

try {
  const started = performance.now();
  const waf = createWaf(crsTestSources(crsDir));
  const loadMs = performance.now() - started;
  const proxy = createProxy({ config: suiteConfig(backendUrl, crsDir), wafFor: () => waf, observer, logger: quiet });
  const { port: listening } = await proxy.listen();
  port.on('message', (message: { type: string; seq?: number }) => {
    if (message.type === 'ping') port.postMessage({ type: 'pong', seq: message.seq });
    else if (message.type === 'close') void proxy.close(1000).then(() => port.postMessage({ type: 'closed' }));
  });
  port.postMessage({ type: 'ready', port: listening, ruleCount: waf.ruleCount, loadMs });
} catch (error) {
  const message = error instanceof RulesetError ? `CRS does not load:\n${error.format()}` : ((error as Error)?.stack ?? String(error));
  port.postMessage({ type: 'failed', message });
}
