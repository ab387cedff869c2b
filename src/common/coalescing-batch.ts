import { AsyncResource } from 'node:async_hooks';

/**
 * Runs work for items in batches without waiting to fill them: an item added while no batch runs starts
 * one at once (on the next microtask, so that items added together go together); items added while a batch
 * runs wait for it and go together in the next. Idle, an item costs no delay; under load, one statement
 * serves many items. `add` resolves when the batch holding the item has run, and never rejects: `work`
 * handles (logs) its own failures; one it throws anyway is dropped with its batch, not the next batches.
 * The batches run in the async context the batch was made in (a module's start-up), not in that of the
 * request whose item started one: derived work is not billed to the request that set it off.
 */
export class CoalescingBatch<T> {
  private queued: T[] = [];
  private waiting: Array<() => void> = [];
  private running?: Promise<void>;
  private readonly drainDetached = AsyncResource.bind(() => this.drain());

  constructor(
    private readonly work: (items: T[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  add(item: T): Promise<void> {
    this.queued.push(item);
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running ??= this.drainDetached();
    return done;
  }

  /** Resolves once everything added so far has run. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.queued.length > 0) {
        const items = this.queued.splice(0, this.maxBatch);
        const waiting = this.waiting.splice(0, items.length);
        await this.work(items).catch(() => undefined);
        waiting.forEach((resolve) => resolve());
      }
    } finally {
      this.running = undefined;
    }
  }
}
