/** Thrown by `Semaphore.acquire` when no permit came free in time. */
export class SemaphoreTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`No permit came free within ${waitedMs} ms`);
    this.name = 'SemaphoreTimeoutError';
  }
}

/**
 * At most `permits` holders at once; others wait in arrival order, each at most its own timeout, so a
 * burst of work is queued briefly and then refused rather than piled up without bound.
 */
export class Semaphore {
  private available: number;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, not ${permits}`);
    this.available = permits;
  }

  /** Resolves with the function that gives the permit back (call it exactly once). */
  acquire(timeoutMs: number): Promise<() => void> {
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.releaser());
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new SemaphoreTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  /** Holders plus waiters beyond the permits: what a health check or a log line may report. */
  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(); // the permit passes straight on
      else this.available += 1;
    };
  }
}
