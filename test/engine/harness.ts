/**
 * Drives one request (and optionally a response) through an engine Transaction in
 * ModSecurity's order, stopping at the first interruption as the proxy does.
 * Used by the declarative profiles and by the CRS self-check script.
 */
import type { Transaction, Waf } from '../../src/engine/api.ts';

export interface RequestSpec {
  readonly method?: string;
  readonly uri?: string;
  readonly protocol?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string | Buffer;
  readonly remoteAddr?: string;
  readonly response?: {
    readonly status?: number;
    readonly headers?: readonly (readonly [string, string])[];
    readonly body?: string;
  };
}

export function runRequest(waf: Waf, req: RequestSpec, id = 'test-tx'): Transaction {
  const tx = waf.newTransaction(id);
  tx.processConnection(req.remoteAddr ?? '127.0.0.1', 40000, '127.0.0.1', 80);
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', req.protocol ?? 'HTTP/1.1');
  const headers = req.headers ?? [['Host', 'localhost']];
  for (const [k, v] of headers) tx.addRequestHeader(k, v);
  const finish = (): Transaction => {
    tx.processLogging();
    return tx;
  };
  if (tx.processRequestHeaders()) return finish();
  if (req.body !== undefined && tx.requestBodyAccess) {
    const buf = typeof req.body === 'string' ? Buffer.from(req.body, 'latin1') : req.body;
    if (tx.appendRequestBody(buf)) return finish();
  }
  if (tx.processRequestBody()) return finish();
  const res = req.response ?? { status: 200, headers: [['Content-Type', 'text/html']] };
  for (const [k, v] of res.headers ?? []) tx.addResponseHeader(k, v);
  if (tx.processResponseHeaders(res.status ?? 200, 'HTTP/1.1')) return finish();
  if (res.body !== undefined && tx.responseBodyAccess) {
    if (tx.appendResponseBody(Buffer.from(res.body, 'latin1'))) return finish();
  }
  tx.processResponseBody();
  return finish();
}
