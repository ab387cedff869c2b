// A look that repeats on a timer — for work kept as rows with a due time (SLA timers, approval timers):
// one look at a time on this instance, a look in progress finishes before the database closes, and a
// failed look is reported and the next one tries again.

export class PollingLoop {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly look: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Looks every `everyMs` (the timer does not keep the process alive). */
  start(everyMs: number): void {
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  /** No more looks; waits for the one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look now, unless one is in progress (then it does nothing). */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = this.look()
      .catch((error: unknown) => this.onError(error))
      .finally(() => (this.running = null));
    await this.running;
  }
}
