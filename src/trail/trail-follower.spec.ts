import { SnapshotInFlight } from './commit-frontier';
import { TrailFollower, TrailProjection } from './trail-follower';
import type { TrailEntry } from './trail.repository';

/** The trail as a database would show it: committed events, what is in flight, and one checkpoint that one reader at a time may claim. */
class FakeTrail {
  events: Array<Omit<TrailEntry, 'concerns'>> = [];
  checkpoint = 0;
  claimedBy: string | null = null;
  running = new SnapshotInFlight(new Set(), 1000);
  writers = new Set<string>();

  async startConsumer(): Promise<void> {}
  /** Each projection's condition is a type it ignores, as the SQL would judge `event.type <> '…'`. */
  async claimAndRead(_consumer: string, limit: number, concerns: string[]) {
    if (this.claimedBy) return null;
    const rows = this.events
      .filter((event) => event.id > this.checkpoint)
      .slice(0, limit)
      .map((event) => ({ ...event, concerns: concerns.map((ignored) => event.type !== ignored) }));
    return { checkpoint: this.checkpoint, read: { rows, running: this.running } };
  }
  async moveCheckpoint(_consumer: string, id: number): Promise<void> {
    this.checkpoint = id;
  }
  async eventWriters(): Promise<Set<string>> {
    return this.writers;
  }
}

function build(apply: (entries: TrailEntry[]) => Promise<void> = async () => undefined) {
  const trail = new FakeTrail();
  const applied: number[][] = [];
  const projection: TrailProjection = {
    name: 'test',
    concerns: 'sla_warning',
    apply: async (entries) => {
      applied.push(entries.map((entry) => entry.id));
      await apply(entries);
    },
  };
  // A transaction that rolls the checkpoint back when its work throws.
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    const before = trail.checkpoint;
    try {
      return await work();
    } catch (error) {
      trail.checkpoint = before;
      throw error;
    }
  };
  const follower = new TrailFollower('test', [projection], trail as never, inTransaction, () => undefined);
  return { trail, applied, follower };
}

const event = (id: number, ticketId = 't1', type = 'workflow_update') => ({ id, ticketId, type });

describe(TrailFollower.name, () => {
  it('applies the events after its checkpoint, only those that concern it, and moves the checkpoint past all of them', async () => {
    const { trail, applied, follower } = build();
    trail.events = [event(1), event(2, 't2', 'sla_warning'), event(3, 't2')];
    await follower.caughtUp();
    expect(applied).toEqual([[1, 3]]);
    expect(trail.checkpoint).toBe(3);
    await follower.caughtUp();
    expect(applied).toEqual([[1, 3]]);
  });

  it('stops at a gap while a writer that was in flight may still fill it, and goes on once it has ended', async () => {
    const { trail, applied, follower } = build();
    trail.events = [event(1), event(3)];
    trail.running = new SnapshotInFlight(new Set(['77']), 1000);
    trail.writers = new Set(['77']);
    const caughtUp = follower.caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(applied).toEqual([[1]]);
    expect(trail.checkpoint).toBe(1);
    // The writer commits event 2 and ends.
    trail.events = [event(1), event(2), event(3)];
    trail.running = new SnapshotInFlight(new Set(), 1000);
    await caughtUp;
    expect(applied).toEqual([[1], [2, 3]]);
    expect(trail.checkpoint).toBe(3);
  });

  it('leaves the checkpoint where it was when a batch fails, and applies the batch again on the next look', async () => {
    let fail = true;
    const { trail, applied, follower } = build(async () => {
      if (fail) throw new Error('database went away');
    });
    trail.events = [event(1), event(2)];
    await expect(follower.caughtUp()).rejects.toThrow('database went away');
    expect(trail.checkpoint).toBe(0);
    fail = false;
    await follower.caughtUp();
    expect(applied).toEqual([[1, 2], [1, 2]]);
    expect(trail.checkpoint).toBe(2);
  });

  it('starts from the checkpoint another instance moved, and waits while another instance holds it', async () => {
    const { trail, applied, follower } = build();
    trail.events = [event(1), event(2), event(3)];
    trail.checkpoint = 2;
    trail.claimedBy = 'instance B';
    const caughtUp = follower.caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(applied).toEqual([]);
    trail.claimedBy = null;
    await caughtUp;
    expect(applied).toEqual([[3]]);
  });

  it('runs on its own after start, woken by commits, and a burst of wake-ups becomes one batch', async () => {
    const { trail, applied, follower } = build();
    await follower.start(60_000);
    await follower.caughtUp();
    trail.events = [event(1), event(2, 't2'), event(3, 't3')];
    follower.wake();
    follower.wake();
    follower.wake();
    for (let i = 0; i < 100 && trail.checkpoint < 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await follower.stop();
    expect(applied).toEqual([[1, 2, 3]]);
  });

  it('gives each of its projections the events that concern it, in one read and one checkpoint for all, in their order', async () => {
    const trail = new FakeTrail();
    const calls: string[] = [];
    const projection = (name: string, ignored: string): TrailProjection => ({
      name,
      concerns: ignored,
      apply: async (entries) => void calls.push(`${name}:${entries.map((entry) => entry.id).join(',')}`),
    });
    const reads = jest.spyOn(trail, 'claimAndRead');
    const moves = jest.spyOn(trail, 'moveCheckpoint');
    const follower = new TrailFollower('both', [projection('clocks', 'sla_warning'), projection('plans', 'comment')], trail as never, (work) => work(), () => undefined);
    trail.events = [event(1), event(2, 't2', 'sla_warning'), event(3, 't2', 'comment')];
    await follower.caughtUp();
    expect(calls).toEqual(['clocks:1,3', 'plans:1,2']);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenCalledWith('both', expect.any(Number), ['sla_warning', 'comment']);
    expect(moves.mock.calls).toEqual([['both', 3]]);
  });
});
