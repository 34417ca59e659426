/**
 * A fixed pool of plain node:net connections for the open-loop generator
 * (bench/open-loop.ts): one request in flight per connection (no
 * pipelining), requests as ready-made Buffers (bench/http1.ts), responses
 * read with ResponseReader. No per-request promises or timers: the owner
 * hands in a request id and gets `done(id, status)` when it ended.
 *
 * Every request ends in `done` exactly once: status ≥ 100 for a response,
 * 0 for an error (connection refused/reset or closed mid-response, a
 * malformed response, no response within `timeoutMs`). When no connection
 * is free, requests wait in FIFO order and go out as soon as one is. A
 * connection the server closes (`Connection: close`, idle timeout, reset)
 * is replaced by a new one.
 */
import { connect, type Socket } from 'node:net';
import { HttpResponseError, ResponseReader } from './http1.ts';

export interface PoolEvents {
  /** Request `id` ended: its status, or 0 with the reason for an error. */
  done(id: number, status: number, error: string | null): void;
}

export interface RawPoolOptions {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  /** A request without a complete response this long after it was written is an error (its connection is replaced). */
  readonly timeoutMs: number;
}

const NONE = -1;
/** Delay before replacing a connection whose connect failed (a dead server must not be hammered). */
const RECONNECT_DELAY_MS = 100;
/** How often in-flight requests are checked against the timeout. */
const SWEEP_MS = 100;

class Connection {
  readonly socket: Socket;
  readonly reader: ResponseReader;
  /** The request in flight, or NONE. */
  id = NONE;
  sentAt = 0;
  connected = false;
  closed = false;

  constructor(socket: Socket, reader: ResponseReader) {
    this.socket = socket;
    this.reader = reader;
  }
}

export class RawPool {
  readonly #options: RawPoolOptions;
  readonly #events: PoolEvents;
  /** Connected and free, most recently used last (reused first: warm sockets stay warm). */
  readonly #idle: Connection[] = [];
  readonly #all = new Set<Connection>();
  /** Requests waiting for a free connection: ids and their buffers, FIFO. */
  readonly #waitingIds: number[] = [];
  readonly #waitingBufs: Buffer[] = [];
  #waitingHead = 0;
  #sweep: NodeJS.Timeout | undefined;
  #closing = false;
  /** Connections opened after the first ones (replacements for closed or failed ones). */
  reopened = 0;

  constructor(options: RawPoolOptions, events: PoolEvents) {
    if (!Number.isInteger(options.connections) || options.connections < 1) throw new Error(`connections must be a positive integer, got ${options.connections}`);
    this.#options = options;
    this.#events = events;
  }

  /** Opens every connection; rejects (closing what opened) when any cannot connect: a dead target is a configuration error. */
  async open(): Promise<void> {
    const opening = Array.from({ length: this.#options.connections }, () => this.#connect());
    const results = await Promise.allSettled(opening);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      this.close();
      throw (failed as PromiseRejectedResult).reason;
    }
    this.#sweep = setInterval(() => this.#checkTimeouts(), SWEEP_MS);
    this.#sweep.unref();
  }

  /** Requests waiting for a free connection right now. */
  get waiting(): number {
    return this.#waitingIds.length - this.#waitingHead;
  }

  /** Sends `request` as request `id` now, or as soon as a connection is free. Returns false when it had to wait. */
  send(id: number, request: Buffer): boolean {
    const conn = this.#idle.pop();
    if (conn) {
      this.#write(conn, id, request);
      return true;
    }
    this.#waitingIds.push(id);
    this.#waitingBufs.push(request);
    return false;
  }

  /**
   * Closes every connection. Requests in flight or waiting get no `done`
   * any more: their number is returned for the owner to count as errors.
   */
  close(): number {
    this.#closing = true;
    clearInterval(this.#sweep);
    let abandoned = this.waiting;
    for (const conn of this.#all) {
      if (conn.id !== NONE) abandoned++;
      conn.id = NONE;
      conn.closed = true;
      conn.socket.destroy();
    }
    this.#all.clear();
    this.#idle.length = 0;
    this.#waitingIds.length = 0;
    this.#waitingBufs.length = 0;
    this.#waitingHead = 0;
    return abandoned;
  }

  #write(conn: Connection, id: number, request: Buffer): void {
    conn.id = id;
    conn.sentAt = performance.now();
    conn.socket.write(request);
  }

  /** A connection became free: the oldest waiting request goes out on it, else it joins the idle stack. */
  #release(conn: Connection): void {
    if (this.#waitingHead < this.#waitingIds.length) {
      const id = this.#waitingIds[this.#waitingHead]!;
      const buf = this.#waitingBufs[this.#waitingHead]!;
      this.#waitingHead++;
      if (this.#waitingHead === this.#waitingIds.length) {
        this.#waitingIds.length = 0;
        this.#waitingBufs.length = 0;
        this.#waitingHead = 0;
      }
      this.#write(conn, id, buf);
    } else {
      this.#idle.push(conn);
    }
  }

  #connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.#options.host, port: this.#options.port, noDelay: true });
      const conn: Connection = new Connection(
        socket,
        new ResponseReader((status, keepAlive) => this.#response(conn, status, keepAlive)),
      );
      this.#all.add(conn);
      socket.on('connect', () => {
        conn.connected = true;
        resolve();
        if (!this.#closing) this.#release(conn);
      });
      socket.on('data', (chunk: Buffer) => {
        try {
          conn.reader.feed(chunk);
        } catch (error) {
          this.#fail(conn, error instanceof HttpResponseError ? error.message : String(error));
        }
      });
      socket.on('end', () => {
        // The server finished its side: a body read until close ends here.
        try {
          conn.reader.end();
        } catch {
          // Cut short: reported below as an error of the request in flight.
        }
        socket.destroy();
      });
      socket.on('error', (error) => {
        if (!conn.connected) reject(error);
        this.#fail(conn, (error as NodeJS.ErrnoException).code ?? error.message);
      });
      socket.on('close', () => this.#fail(conn, 'connection closed before the response ended'));
    });
  }

  #response(conn: Connection, status: number, keepAlive: boolean): void {
    const id = conn.id;
    if (id === NONE) {
      this.#fail(conn, 'response without a request');
      return;
    }
    conn.id = NONE;
    this.#events.done(id, status, null);
    if (keepAlive) this.#release(conn);
    else this.#replace(conn);
  }

  /** The connection is unusable: its request in flight (if any) is an error, and a new connection takes its place. */
  #fail(conn: Connection, reason: string): void {
    if (conn.id !== NONE) {
      const id = conn.id;
      conn.id = NONE;
      this.#events.done(id, 0, reason);
    }
    this.#replace(conn);
  }

  #replace(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.socket.destroy();
    this.#all.delete(conn);
    const at = this.#idle.indexOf(conn);
    if (at >= 0) this.#idle.splice(at, 1);
    // A connect that failed is retried by whoever called #connect (open() reports it, #reconnect waits first).
    if (!this.#closing && conn.connected) this.#reconnect();
  }

  #reconnect(): void {
    if (this.#closing) return;
    this.reopened++;
    this.#connect().catch(() => setTimeout(() => this.#reconnect(), RECONNECT_DELAY_MS).unref());
  }

  #checkTimeouts(): void {
    const now = performance.now();
    for (const conn of this.#all) {
      if (conn.id !== NONE && now - conn.sentAt > this.#options.timeoutMs) this.#fail(conn, `no response within ${this.#options.timeoutMs} ms`);
    }
  }
}
