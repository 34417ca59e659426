/**
 * An Observer that hands each transaction report to the test whose
 * connection produced it. The key is the client port: every test stage
 * opens its own connection, so while it is open its local port names it
 * uniquely, and the request goes to picket unchanged (go-ftw's alternative,
 * marker requests around each test, would double the requests).
 */
import type { Observer, TransactionReport } from '../../src/observability/types.ts';

interface Waiter {
  readonly reports: TransactionReport[];
  wake: (() => void) | null;
}

export class ReportCollector implements Observer {
  readonly #waiters = new Map<number, Waiter>();

  /** Start collecting for a connection from `port` (call before sending). */
  expect(port: number): void {
    this.#waiters.set(port, { reports: [], wake: null });
  }

  /**
   * The reports for `port`: resolves once one has arrived and `settleMs`
   * passed without another (pipelined requests), or after `graceMs` with
   * none (the request never became a transaction). Stops collecting.
   */
  async collect(port: number, graceMs: number, settleMs = 5): Promise<TransactionReport[]> {
    const waiter = this.#waiters.get(port);
    if (!waiter) return [];
    const deadline = Date.now() + graceMs;
    let seen = -1;
    while (Date.now() < deadline) {
      if (waiter.reports.length > 0 && waiter.reports.length === seen) break;
      seen = waiter.reports.length;
      const wait = seen > 0 ? settleMs : deadline - Date.now();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done(): void {
          clearTimeout(timer);
          waiter!.wake = null;
          resolve();
        }
        waiter.wake = done;
      });
    }
    this.#waiters.delete(port);
    return waiter.reports;
  }

  transactionEnd(report: TransactionReport): void {
    const waiter = this.#waiters.get(report.client.port);
    if (!waiter) return;
    waiter.reports.push(report);
    waiter.wake?.();
  }

  upstreamError(): void {}
  mirrorQueueDepth(): void {}
  mirrorDropped(): void {}
  /** Engine errors reach the runner from the worker directly (target.ts). */
  engineError(): void {}
}
