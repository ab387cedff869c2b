// Event ids come from a sequence when a row is inserted, but transactions commit in any order: a reader
// can see event 12 before event 11 is committed. Readers must never pass an id that a transaction still
// in flight could commit below, or the live stream skips it and a Last-Event-ID replay from 12 misses it.
// Instead of making writers commit one at a time (a global lock), the reader holds back at a gap in the
// ids until every transaction that could fill it has ended — the snapshot technique transactional-outbox
// readers use, narrowed to the transactions writing ticket events.
//
// Why that is enough: every writer takes its transaction id before it draws an event id (see
// appendEventsFrom in tickets.repository.ts) and holds a lock on ticket_events from before it draws the id until it
// ends. So when a read sees event M but not some id k < M, k was drawn before M was, its writer has a
// transaction id and was in progress at the read's snapshot. Once none of the writers in flight at that
// read is still running, every id up to M is final: committed and visible to the next read, or never.
//
// "In progress at the read's snapshot" is what PostgreSQL means by it: the transactions the snapshot lists
// and every one whose id is at or after its xmax, which it does not list. A writer can get its id after
// another that commits first (the snapshot's xmax is then the writer's own id), so an empty list never
// proves that nothing is in flight; only the event writers' locks, read after the snapshot, can.

/** What a read's snapshot counts as in flight. */
export class SnapshotInFlight {
  constructor(
    /** Transactions it lists as in progress (32-bit ids, as text). */
    readonly listed: ReadonlySet<string>,
    /** The first transaction id it does not list (32-bit). */
    readonly xmax: number,
  ) {}

  has(xid: string): boolean {
    return this.listed.has(xid) || followsOrEquals(Number(xid), this.xmax);
  }
}

/** PostgreSQL's comparison of 32-bit transaction ids, which wrap around: `a` was assigned at or after `b`. */
function followsOrEquals(a: number, b: number): boolean {
  return (a - b) >>> 0 < 2 ** 31;
}

/** A read of the events after the frontier, in id order, with what its snapshot saw in flight. */
export interface CommittedRead<T> {
  rows: T[];
  /** Transactions in progress at the read's snapshot (32-bit transaction ids, as text). */
  running: SnapshotInFlight;
}

interface HeldGap {
  /** Transactions that could still commit an id below `upTo`. */
  writers: ReadonlySet<string>;
  upTo: number;
}

export class CommitFrontier {
  private lastId: number;
  private gap?: HeldGap;
  /** A gap just found, with its read's snapshot: the caller must say which transactions write events (`holdGap`). */
  private found?: { upTo: number; running: SnapshotInFlight };

  constructor(lastId: number) {
    this.lastId = lastId;
  }

  /** Every event at or below this id has been published, and no other can commit there. */
  get last(): number {
    return this.lastId;
  }

  /** Events are held back behind a gap that transactions in flight may still fill. */
  get holding(): boolean {
    return this.gap !== undefined || this.found !== undefined;
  }

  /** A gap was found that needs the set of event writers in flight (see `holdGap`). */
  get needsWriters(): boolean {
    return this.found !== undefined;
  }

  /** A gap is held with no writer left to wait for: the next read publishes past it. */
  get releasable(): boolean {
    return this.gap !== undefined && this.gap.writers.size === 0;
  }

  /** The rows (in id order) that can be published now; the frontier moves past them. */
  advance<T extends { id: number }>(read: CommittedRead<T>): T[] {
    // A read that found nothing has no snapshot to judge a held gap by.
    if (read.rows.length === 0) return [];
    let finalUpTo = this.lastId;
    if (this.gap && ![...this.gap.writers].some((writer) => read.running.has(writer))) {
      finalUpTo = this.gap.upTo;
      this.gap = undefined;
    }
    const publish: T[] = [];
    for (const row of read.rows) {
      if (row.id === this.lastId + 1 || row.id <= finalUpTo) {
        publish.push(row);
        this.lastId = row.id;
        if (this.gap && this.lastId >= this.gap.upTo) this.gap = undefined; // filled in order meanwhile
        continue;
      }
      if (!this.gap) this.found = { upTo: read.rows.at(-1)!.id, running: read.running };
      break;
    }
    return publish;
  }

  /**
   * Holds the gap found by the last `advance` until these transactions (those holding a write lock on the
   * events, read after that snapshot) have ended; only those that were in flight at the snapshot count.
   */
  holdGap(eventWriters: ReadonlySet<string>): void {
    if (!this.found) return;
    const { upTo, running } = this.found;
    this.gap = { writers: new Set([...eventWriters].filter((writer) => running.has(writer))), upTo };
    this.found = undefined;
  }
}
