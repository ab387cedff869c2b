// Work that a commit sets off — a projection's batch, the event streams' read — runs in a loop of its own,
// started with the module, never in the async context of the request whose commit woke it: the request's
// work ends at its commit, what it set off is not billed to it, and no transaction of its can leak in.
// Wake-ups while the work runs coalesce into one more run; with `gatherMs`, so do those that arrive within
// that long of the first (a burst of commits becomes one run).

export class WakeLoop {
  private woken = false;
  private signal?: () => void;
  private loop?: Promise<void>;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly gatherMs = 0,
  ) {}

  /** Starts the loop in the caller's async context (a module's start-up); `runNow`: the work runs once at once. */
  start(runNow: boolean): void {
    this.loop = this.follow();
    if (runNow) this.wake();
  }

  wake(): void {
    this.woken = true;
    this.signal?.();
  }

  /** The run in progress, if any (resolves when it ends). */
  get running(): Promise<void> | null {
    return this.current;
  }

  /** No more runs; waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signal?.();
    await this.loop;
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      if (!this.woken) await new Promise<void>((resolve) => (this.signal = resolve));
      this.signal = undefined;
      if (this.gatherMs > 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, this.gatherMs));
      if (this.stopped) return;
      this.woken = false;
      this.current = this.work().catch((error: unknown) => this.onError(error));
      await this.current;
      this.current = null;
    }
  }
}
