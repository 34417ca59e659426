/**
 * The HTTP/1.1 wire format as the lean open-loop generator needs it
 * (bench/open-loop.ts): a request serialized once into one Buffer before a
 * run, and an incremental response reader that finds where each response
 * ends (status line, headers, then a Content-Length body, a chunked body,
 * no body, or a body that runs until the connection closes) without
 * copying body bytes. Only what a load generator needs: status and whether
 * the connection stays open; headers other than the framing ones and the
 * body itself are skipped.
 */

/** What a request needs to go on the wire; bench/requests.ts's BenchRequest fits. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string | undefined;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const CONTROL = /[\r\n]/;

/**
 * `METHOD path HTTP/1.1`, the headers as given, plus `host` (when absent)
 * and `content-length` (when there is a body and no length or transfer
 * encoding), then the body: one Buffer, written with a single write.
 */
export function serializeRequest(request: WireRequest, defaultHost: string): Buffer {
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasLength = false;
  for (const [name, value] of Object.entries(request.headers)) {
    // A CR or LF here would split the request: a bench bug, never something to send.
    if (CONTROL.test(name) || CONTROL.test(value)) throw new Error(`header ${JSON.stringify(name)} contains CR or LF`);
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length' || lower === 'transfer-encoding') hasLength = true;
    head += `${name}: ${value}\r\n`;
  }
  if (CONTROL.test(request.path) || request.path.includes(' ')) throw new Error(`request target ${JSON.stringify(request.path)} is not sendable`);
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'latin1') : request.body;
  if (!hasHost) head += `host: ${defaultHost}\r\n`;
  if (!hasLength && (body !== undefined || BODY_METHODS.has(request.method))) head += `content-length: ${body?.length ?? 0}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.byteLength(head, 'latin1');
  const out = Buffer.allocUnsafe(headBytes + (body?.length ?? 0));
  out.write(head, 0, 'latin1');
  body?.copy(out, headBytes);
  return out;
}

/** A malformed or oversized response: the connection it came on cannot be trusted any more. */
export class HttpResponseError extends Error {
  override name = 'HttpResponseError';
}

/** Header blocks larger than this are treated as an error (a generator reading garbage forever helps nobody). */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4096;
const CRLFCRLF = Buffer.from('\r\n\r\n');

// Reader states.
const HEAD = 0;
const BODY = 1;
const UNTIL_CLOSE = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_DATA_END = 5;
const TRAILERS = 6;

/**
 * Reads responses from the bytes of one connection, in any split across
 * reads. Calls `onResponse(status, keepAlive)` once per complete final
 * response (1xx interim responses are skipped). Throws HttpResponseError on
 * bytes that are not HTTP/1.x.
 */
export class ResponseReader {
  readonly #onResponse: (status: number, keepAlive: boolean) => void;
  #state = HEAD;
  /** Header bytes gathered so far (HEAD state), or null. */
  #head: Buffer | null = null;
  /** A chunk-size or trailer line gathered so far. */
  #line = '';
  /** Bytes still to skip in BODY / CHUNK_DATA, or CRLF bytes still expected in CHUNK_DATA_END. */
  #remaining = 0;
  #status = 0;
  #keepAlive = true;
  /** The response now being read answers a HEAD request (no body whatever the headers say). */
  #headRequest = false;

  constructor(onResponse: (status: number, keepAlive: boolean) => void) {
    this.#onResponse = onResponse;
  }

  /** Tells the reader the next response answers a HEAD request. */
  expectHeadResponse(): void {
    this.#headRequest = true;
  }

  /** True between responses: no partial response has been read. */
  get idle(): boolean {
    return this.#state === HEAD && this.#head === null;
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.#state) {
        case HEAD:
          at = this.#readHead(chunk, at);
          break;
        case BODY:
          at = this.#skip(chunk, at);
          if (this.#remaining === 0) this.#complete();
          break;
        case UNTIL_CLOSE:
          at = chunk.length;
          break;
        case CHUNK_SIZE:
        case TRAILERS:
          at = this.#readLine(chunk, at);
          break;
        case CHUNK_DATA:
          at = this.#skip(chunk, at);
          if (this.#remaining === 0) {
            this.#state = CHUNK_DATA_END;
            this.#remaining = 2;
          }
          break;
        case CHUNK_DATA_END: {
          const expected = this.#remaining === 2 ? 0x0d : 0x0a;
          if (chunk[at] !== expected) throw new HttpResponseError('chunk data not followed by CRLF');
          at++;
          if (--this.#remaining === 0) this.#state = CHUNK_SIZE;
          break;
        }
      }
    }
  }

  /**
   * The connection ended. Completes a body that runs until the close;
   * throws when a response was cut short (the caller counts an error).
   */
  end(): void {
    if (this.#state === UNTIL_CLOSE) {
      this.#complete();
      return;
    }
    if (!this.idle) throw new HttpResponseError('connection closed in the middle of a response');
  }

  #readHead(chunk: Buffer, at: number): number {
    // Most heads arrive whole in one read: look for the end in the chunk itself before gathering.
    let data: Buffer;
    let offset: number;
    if (this.#head === null) {
      data = chunk;
      offset = at;
    } else {
      data = Buffer.concat([this.#head, chunk.subarray(at)]);
      offset = 0;
    }
    const end = data.indexOf(CRLFCRLF, offset);
    if (end < 0) {
      const partial = data.subarray(offset);
      if (partial.length > MAX_HEAD_BYTES) throw new HttpResponseError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
      // Copy: the socket may reuse the chunk's memory.
      this.#head = Buffer.from(partial);
      return chunk.length;
    }
    const consumedOfChunk = this.#head === null ? end + 4 : end + 4 - this.#head.length + at;
    this.#head = null;
    this.#parseHead(data.toString('latin1', offset, end));
    return consumedOfChunk;
  }

  #parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (!m) throw new HttpResponseError(`bad status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    const http10 = m[1] === '0';
    const status = Number(m[2]);
    let length = -1;
    let chunked = false;
    let connection = '';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpResponseError(`bad header line ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length >= 0 && Number(value) !== length)) throw new HttpResponseError(`bad content-length ${JSON.stringify(value)}`);
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        // The last coding decides the framing; anything other than chunked runs until close.
        chunked = value.toLowerCase().split(',').at(-1)?.trim() === 'chunked';
      } else if (name === 'connection') {
        connection += `,${value.toLowerCase()}`;
      }
    }
    if (status >= 100 && status < 200 && status !== 101) return; // interim: the final response follows
    const tokens = connection.split(',').map((t) => t.trim());
    this.#status = status;
    this.#keepAlive = http10 ? tokens.includes('keep-alive') : !tokens.includes('close');
    const headRequest = this.#headRequest;
    this.#headRequest = false;
    if (headRequest || status === 204 || status === 304 || status === 101) {
      this.#complete();
    } else if (chunked) {
      this.#state = CHUNK_SIZE;
      this.#line = '';
    } else if (length >= 0) {
      this.#remaining = length;
      if (length === 0) this.#complete();
      else this.#state = BODY;
    } else {
      // No framing: the body ends when the server closes, so this connection cannot be reused.
      this.#keepAlive = false;
      this.#state = UNTIL_CLOSE;
    }
  }

  /** Gathers one CRLF-terminated line (chunk size or trailer) and acts on it. */
  #readLine(chunk: Buffer, at: number): number {
    const nl = chunk.indexOf(0x0a, at);
    const stop = nl < 0 ? chunk.length : nl;
    this.#line += chunk.toString('latin1', at, stop);
    if (this.#line.length > MAX_LINE_BYTES) throw new HttpResponseError('chunk-size or trailer line too long');
    if (nl < 0) return chunk.length;
    const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
    this.#line = '';
    if (this.#state === TRAILERS) {
      if (line === '') this.#complete();
    } else {
      const m = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(line);
      if (!m) throw new HttpResponseError(`bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
      const size = Number.parseInt(m[1] ?? '', 16);
      if (size === 0) this.#state = TRAILERS;
      else {
        this.#state = CHUNK_DATA;
        this.#remaining = size;
      }
    }
    return nl + 1;
  }

  /** Passes over up to #remaining body bytes of `chunk` from `at`; returns where it stopped. */
  #skip(chunk: Buffer, at: number): number {
    const take = Math.min(this.#remaining, chunk.length - at);
    this.#remaining -= take;
    return at + take;
  }

  #complete(): void {
    this.#state = HEAD;
    this.#onResponse(this.#status, this.#keepAlive);
  }
}
