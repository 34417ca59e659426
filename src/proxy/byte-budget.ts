/**
 * A process-wide cap on request-body bytes held in memory for inspection
 * (inline/detect bodies waiting for phase 2, mirror copies waiting in the
 * queue). Each request is bounded by the body limit already; this bounds the
 * sum, so many concurrent large uploads cannot exhaust memory.
 *
 * When the budget is spent: inline answers 503 (Retry-After) rather than
 * forward a body it could not inspect; detect and mirror inspect only what
 * they already hold.
 */
export class ByteBudget {
  readonly capacity: number;
  #used = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get used(): number {
    return this.#used;
  }

  /** Takes `bytes` if they fit; false (taking nothing) otherwise. */
  take(bytes: number): boolean {
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    return true;
  }

  /** Takes as many of `bytes` as fit and returns that number (0 when the budget is spent). */
  takeUpTo(bytes: number): number {
    const granted = Math.max(0, Math.min(bytes, this.capacity - this.#used));
    this.#used += granted;
    return granted;
  }

  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}
