/**
 * Sends raw request bytes over one TCP connection and reads one response,
 * judging errors the way go-ftw does: it parses the status line and headers
 * (Go http.ReadResponse), so a closed or reset connection before a complete
 * header block, or a status line that is not `HTTP/x.y NNN`, is an error
 * (what `expect_error: true` asks for). The body is read until its length,
 * the last chunk, or the close, so `response_contains` sees all of it.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** Status of the first response on the connection (100 Continue included, as Go reports it). */
  readonly status: number;
  /** Status line, headers and the body bytes read, as received (latin1). */
  readonly raw: string;
}

export interface Exchange {
  /** Our side's port: picket reports it as the client port, which ties the audit record to this test. */
  readonly localPort: number;
  readonly response: RawResponse | null;
  /** Why there is no response (connection error, reset, timeout, malformed status line). */
  readonly error: string | null;
  readonly timedOut: boolean;
}

const STATUS_LINE = /^HTTP\/\d+\.\d+ (\d{3})(?: |$)/;

/** Whether `buf` (after the header block ending at `headEnd`) holds a complete body. */
function bodyComplete(head: string, body: Buffer, method: string): boolean {
  const status = Number(STATUS_LINE.exec(head)?.[1] ?? 0);
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return true;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    const text = body.toString('latin1');
    return text.startsWith('0\r\n\r\n') || text.includes('\r\n0\r\n\r\n');
  }
  return false; // read until close
}

/**
 * Sends `request` to host:port. `onConnect` runs once the local port is
 * known, before any byte is written, so a waiter can be registered before
 * picket can report the transaction.
 */
export function sendRaw(
  host: string,
  port: number,
  request: Buffer,
  timeoutMs: number,
  onConnect: (localPort: number) => void,
): Promise<Exchange> {
  // The method decides whether a body follows (HEAD); raw requests name theirs first.
  const method = request.subarray(0, Math.max(0, request.indexOf(0x20))).toString('latin1');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let headEnd = -1;
    let localPort = 0;
    let settled = false;
    const socket = connect({ host, port });

    const finish = (error: string | null, timedOut = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks, received);
      if (headEnd === -1) {
        resolve({ localPort, response: null, error: error ?? 'connection closed before a response', timedOut });
        return;
      }
      const head = all.subarray(0, headEnd).toString('latin1');
      const match = STATUS_LINE.exec(head);
      if (!match) {
        resolve({ localPort, response: null, error: `malformed status line ${JSON.stringify(head.split('\r\n')[0])}`, timedOut });
        return;
      }
      resolve({ localPort, response: { status: Number(match[1]), raw: all.toString('latin1') }, error: null, timedOut });
    };

    const timer = setTimeout(() => finish(`no complete response in ${timeoutMs} ms`, true), timeoutMs);

    socket.on('connect', () => {
      localPort = socket.localPort ?? 0;
      onConnect(localPort);
      socket.write(request, (err) => {
        // Picket may answer and close before reading a large body: that is not our error yet.
        if (err && headEnd === -1 && received === 0) finish(`write failed: ${err.message}`);
      });
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (headEnd === -1) {
        const all = Buffer.concat(chunks, received);
        const end = all.indexOf('\r\n\r\n');
        if (end === -1) return;
        headEnd = end + 4;
      }
      const all = Buffer.concat(chunks, received);
      const head = all.subarray(0, headEnd).toString('latin1');
      if (bodyComplete(head, all.subarray(headEnd), method)) finish(null);
    });
    socket.on('end', () => finish(null));
    socket.on('error', (err) => finish(`${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`));
    socket.on('close', () => finish(null));
  });
}
