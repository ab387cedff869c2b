// Projections of the committed trail: what can be derived from a ticket's events (its SLA clocks, whether
// its approval's plan still holds) is not computed inside the write that records them, but by a consumer
// that reads `ticket_events` behind the commit frontier (never past an id a transaction in flight could
// still commit below), applies a batch — each ticket once, however many of its events the batch holds —
// and moves its durable checkpoint in the same transaction. The projections it is given share that pass:
// one claim, one read and one checkpoint for all of them, whatever their number. The checkpoint row is
// claimed with SKIP LOCKED, so one instance at a time works the projections; a failed batch rolls back
// with its checkpoint and is tried again; a restart continues from the checkpoint. Projections must be
// idempotent: a batch may be applied again after a crash between its work and its commit.
import { WakeLoop } from '../common/wake-loop';
import { CommitFrontier } from './commit-frontier';
import { TrailEntry, TrailRepository } from './trail.repository';

/** Events read per transaction: a backlog after an outage is worked off in short steps. */
const BATCH = 200;
/** How soon to look again while events wait behind a gap that transactions in flight may fill (ms). */
const GAP_RECHECK_MS = 5;
/** How soon to look again when another instance held the checkpoint (its frontier may lag ours) (ms). */
const BUSY_RECHECK_MS = 100;
/** How long a wake-up waits for others to join it: a burst of commits becomes one batch (ms). */
const GATHER_MS = 20;

export interface TrailProjection {
  /** What it derives, for logs. */
  readonly name: string;
  /**
   * Which events concern it, as an SQL condition on `event` (a row of ticket_events), judged in the read
   * itself: the others move the checkpoint without costing a statement more.
   */
  readonly concerns: string;
  /** Applies a batch in the caller's transaction; the tickets concerned, each once, in the order of their first event. */
  apply(entries: TrailEntry[]): Promise<void>;
}

type Outcome = 'caught-up' | 'more' | 'held' | 'busy';

export class TrailFollower {
  private frontier?: CommitFrontier;
  private readonly passes: WakeLoop;
  private recheck?: NodeJS.Timeout;
  private poller?: NodeJS.Timeout;
  private stopped = false;

  /**
   * @param consumer the checkpoint's name
   * @param projections applied in this order, each to the events that concern it
   */
  constructor(
    private readonly consumer: string,
    private readonly projections: readonly TrailProjection[],
    private readonly trail: TrailRepository,
    private readonly inTransaction: <T>(work: () => Promise<T>) => Promise<T>,
    onError: (error: unknown) => void,
  ) {
    this.passes = new WakeLoop(() => this.pass(), onError, GATHER_MS);
  }

  /** Creates the checkpoint if it is new, catches up, and looks again every `pollMs` (what a missed wake-up left). */
  async start(pollMs: number): Promise<void> {
    await this.trail.startConsumer(this.consumer);
    this.poller = setInterval(() => this.wake(), pollMs);
    this.poller.unref();
    this.passes.start(true);
  }

  /** No more batches; waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearTimeout(this.recheck);
    await this.passes.stop();
  }

  /** Something was committed: read up to the frontier (wake-ups during a pass coalesce into one more). */
  wake(): void {
    this.passes.wake();
  }

  /** Resolves when the projection has applied every event committed before the call (for tests and waits). */
  async caughtUp(): Promise<void> {
    for (;;) {
      await this.passes.running;
      const outcome = await this.inTransaction(() => this.step());
      if (outcome === 'caught-up') return;
      await new Promise((resolve) => setTimeout(resolve, outcome === 'busy' ? BUSY_RECHECK_MS : GAP_RECHECK_MS));
    }
  }

  private async pass(): Promise<void> {
    let outcome: Outcome;
    do outcome = await this.inTransaction(() => this.step());
    while (outcome === 'more' && !this.stopped);
    if (outcome === 'held' || outcome === 'busy') {
      clearTimeout(this.recheck);
      this.recheck = setTimeout(() => this.wake(), outcome === 'busy' ? BUSY_RECHECK_MS : GAP_RECHECK_MS);
    }
  }

  private async step(): Promise<Outcome> {
    const claimed = await this.trail.claimAndRead(this.consumer, BATCH, this.projections.map((projection) => projection.concerns));
    if (!claimed) return 'busy';
    // Another instance moved the checkpoint since this one last looked: start from where it stands.
    if (this.frontier?.last !== claimed.checkpoint) this.frontier = new CommitFrontier(claimed.checkpoint);
    const frontier = this.frontier;
    const entries = frontier.advance(claimed.read);
    if (frontier.needsWriters) frontier.holdGap(await this.trail.eventWriters());
    if (entries.length > 0) {
      try {
        for (const [index, projection] of this.projections.entries()) {
          const concerning = entries.filter((entry) => entry.concerns[index]);
          if (concerning.length > 0) await projection.apply(concerning);
        }
      } catch (error) {
        // Rolled back with the checkpoint: the next pass starts again from it.
        this.frontier = undefined;
        throw error;
      }
      await this.trail.moveCheckpoint(this.consumer, frontier.last);
    }
    if (claimed.read.rows.length === BATCH && entries.length === BATCH) return 'more';
    return frontier.holding ? 'held' : 'caught-up';
  }
}

/** The tickets a batch concerns, each once, in the order of their first event. */
export function ticketsOf(entries: TrailEntry[]): string[] {
  return [...new Set(entries.map((entry) => entry.ticketId))];
}

/**
 * The tickets a batch concerns, each once, in id order: the order every writer of several tickets locks
 * them in. A pass holds its locks until it commits; taken in the order of the events, they deadlocked with
 * a command locking an incident's tickets (confirm, resolve) while new reports came in.
 */
export function ticketsInLockOrder(entries: TrailEntry[]): string[] {
  return ticketsOf(entries).sort();
}
