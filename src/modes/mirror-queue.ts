/**
 * The bounded inspection queue of mirror mode. A slot is reserved when a
 * mirrored request arrives (before its body is read, so memory is bounded by
 * capacity × body limit), filled when the body is in, and freed once the
 * engine has run. When every slot is taken the request is dropped and
 * counted (observer.mirrorDropped): out-of-path inspection sheds load
 * rather than slow the sender down.
 *
 * Jobs run one per event-loop turn (setImmediate), so inspecting a backlog
 * never starves the sockets of new mirrored requests.
 */
import type { Observer } from '../observability/types.ts';
import type { Logger } from '../proxy/types.ts';

export class MirrorQueue {
  readonly capacity: number;
  readonly #observer: Observer;
  readonly #logger: Logger;
  #slots = 0;
  readonly #ready: (() => void)[] = [];
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(capacity: number, observer: Observer, logger: Logger) {
    this.capacity = Math.max(1, capacity);
    this.#observer = observer;
    this.#logger = logger;
  }

  /** Slots taken: requests being received plus those waiting for the engine. */
  get depth(): number {
    return this.#slots;
  }

  /** Takes a slot; false (and a drop counted) when the queue is full. */
  reserve(): boolean {
    if (this.#slots >= this.capacity) {
      this.#observer.mirrorDropped();
      return false;
    }
    this.#slots++;
    this.#observer.mirrorQueueDepth(this.#slots);
    return true;
  }

  /** Gives back a reserved slot without work (the sender went away). */
  release(): void {
    this.#free();
  }

  /** Queues the work for a reserved slot. */
  submit(job: () => void): void {
    this.#ready.push(job);
    this.#schedule();
  }

  /** Resolves when no slot is taken, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (this.#slots === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#idle.push(done);
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#ready.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const job = this.#ready.shift();
      if (job) {
        try {
          job();
        } catch (error) {
          this.#logger.error({ err: error }, 'mirror inspection failed');
        }
        this.#free();
      }
      this.#schedule();
    });
  }

  #free(): void {
    this.#slots = Math.max(0, this.#slots - 1);
    this.#observer.mirrorQueueDepth(this.#slots);
    if (this.#slots === 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const resolve of waiters) resolve();
    }
  }
}
