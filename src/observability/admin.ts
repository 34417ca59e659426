/**
 * The admin listener, separate from the proxy so that health checks and
 * scrapes never compete with (or get inspected as) user traffic:
 *
 *   GET /healthz  200 while the process runs
 *   GET /readyz   200 once the ruleset is compiled and warmed up and routes exist, else 503 with the reason
 *   GET /metrics  Prometheus text format
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WafError } from '../errors.ts';

export interface Readiness {
  readonly ready: boolean;
  /** Why not, e.g. 'no routes yet'. */
  readonly reason?: string;
}

/** A prom-client Registry, or anything that renders metrics the same way (the cluster aggregate). */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface AdminOptions {
  readonly registry: MetricsSource;
  readiness(): Readiness;
}

export interface AdminServer {
  listen(host: string, port: number): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createAdminServer(options: AdminOptions): AdminServer {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const text = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    switch (path) {
      case '/healthz':
        text(200, 'ok\n');
        return;
      case '/readyz': {
        const readiness = options.readiness();
        text(readiness.ready ? 200 : 503, readiness.ready ? 'ready\n' : `not ready: ${readiness.reason ?? 'starting'}\n`);
        return;
      }
      case '/metrics':
        options.registry.metrics().then(
          (body) => {
            res.writeHead(200, { 'content-type': options.registry.contentType, 'cache-control': 'no-store' });
            res.end(req.method === 'HEAD' ? undefined : body);
          },
          (error: unknown) => text(500, `metrics failed: ${String(error)}\n`),
        );
        return;
      default:
        text(404, 'not found\n');
    }
  });
  server.keepAliveTimeout = 5000;

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(new WafError('WAF_ERR_LISTEN', `admin listener cannot bind ${host}:${port}: ${error.message}`, { cause: error }));
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
