import { CommitFrontier, SnapshotInFlight } from './commit-frontier';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
/** A snapshot listing these transactions as in flight; its xmax (the first id it does not list) is above them all. */
const running = (...xids: string[]) => new SnapshotInFlight(new Set(xids), Math.max(999, ...xids.map(Number)) + 1);
/** A snapshot taken just after transaction `xmax - 1` ended: any transaction from `xmax` on is in flight, unlisted. */
const snapshot = (xmax: number, ...xids: string[]) => new SnapshotInFlight(new Set(xids), xmax);
/** Transactions holding a write lock on the events table. */
const writers = (...xids: string[]) => new Set(xids);
const ids = (published: Array<{ id: number }>) => published.map((row) => row.id);

describe(CommitFrontier.name, () => {
  it('publishes consecutive ids at once, whatever is in flight', () => {
    const frontier = new CommitFrontier(10);
    expect(ids(frontier.advance({ rows: rows(11, 12, 13), running: running('900') }))).toEqual([11, 12, 13]);
    expect(frontier.last).toBe(13);
    expect(frontier.holding).toBe(false);
  });

  it('skips a gap once no event writer in flight at its snapshot is left: the id was rolled back', () => {
    const frontier = new CommitFrontier(10);
    expect(ids(frontier.advance({ rows: rows(12, 14), running: running() }))).toEqual([]);
    frontier.holdGap(writers());
    expect(ids(frontier.advance({ rows: rows(12, 14), running: running() }))).toEqual([12, 14]);
    expect(frontier.holding).toBe(false);
  });

  it('holds a gap drawn by a transaction the snapshot does not list because its id is at or after the snapshot xmax', () => {
    // 901 drew 11 and 13 around 902's 12, then committed: the snapshot taken then has xmax 902 and lists
    // nothing, and PostgreSQL counts 902 as in flight without listing it.
    const frontier = new CommitFrontier(10);
    expect(ids(frontier.advance({ rows: rows(11, 13), running: snapshot(902) }))).toEqual([11]);
    frontier.holdGap(writers('902'));
    expect(ids(frontier.advance({ rows: rows(13), running: snapshot(902) }))).toEqual([]);
    expect(ids(frontier.advance({ rows: rows(13), running: snapshot(904, '902') }))).toEqual([]);
    expect(ids(frontier.advance({ rows: rows(12, 13), running: snapshot(904) }))).toEqual([12, 13]);
  });

  it('compares transaction ids across the 32-bit wraparound', () => {
    const frontier = new CommitFrontier(10);
    frontier.advance({ rows: rows(12), running: snapshot(4294967290) });
    frontier.holdGap(writers('5')); // assigned after the counter wrapped: after xmax, so in flight
    expect(ids(frontier.advance({ rows: rows(12), running: snapshot(4294967295) }))).toEqual([]);
    expect(ids(frontier.advance({ rows: rows(12), running: snapshot(6) }))).toEqual([12]);
  });

  it('keeps a held gap through a read that found no rows (its snapshot says nothing)', () => {
    const frontier = new CommitFrontier(10);
    frontier.advance({ rows: rows(12), running: running('900') });
    frontier.holdGap(writers('900'));
    expect(ids(frontier.advance({ rows: [], running: running() }))).toEqual([]);
    expect(frontier.holding).toBe(true);
  });

  it('holds a gap until the event writers in flight at its snapshot have ended, then publishes in order', () => {
    const frontier = new CommitFrontier(10);
    expect(ids(frontier.advance({ rows: rows(11, 13, 14), running: running('900', '901', '950') }))).toEqual([11]);
    expect(frontier.needsWriters).toBe(true);
    // 902 began after the snapshot and 950 writes no event: neither can hold id 12.
    frontier.holdGap(writers('900', '902'));
    expect(frontier.needsWriters).toBe(false);

    expect(ids(frontier.advance({ rows: rows(13, 14), running: running('900', '950') }))).toEqual([]);
    expect(frontier.holding).toBe(true);
    // 900 committed id 12 and ended; 950 still runs, which does not matter.
    expect(ids(frontier.advance({ rows: rows(12, 13, 14, 15), running: running('950', '902') }))).toEqual([12, 13, 14, 15]);
    expect(frontier.last).toBe(15);
    expect(frontier.holding).toBe(false);
  });

  it('gives up a gap whose writers ended without filling it (a rollback), up to what that snapshot saw', () => {
    const frontier = new CommitFrontier(10);
    frontier.advance({ rows: rows(12), running: running('900') });
    frontier.holdGap(writers('900'));
    // 900 rolled back. 14 appeared after the gap was seen: the gap before it needs its own proof.
    expect(ids(frontier.advance({ rows: rows(12, 14), running: running('903') }))).toEqual([12]);
    expect(frontier.needsWriters).toBe(true);
    frontier.holdGap(writers('903'));
    expect(ids(frontier.advance({ rows: rows(14), running: running() }))).toEqual([14]);
  });

  it('forgets a held gap once its ids are filled in order; a gap beyond it needs its own proof', () => {
    const frontier = new CommitFrontier(10);
    frontier.advance({ rows: rows(12, 13), running: running('900') });
    frontier.holdGap(writers('900'));
    expect(ids(frontier.advance({ rows: rows(11, 12, 13, 15), running: running('900', '904') }))).toEqual([11, 12, 13]);
    expect(frontier.needsWriters).toBe(true);
    frontier.holdGap(writers('904'));
    expect(ids(frontier.advance({ rows: rows(15), running: running('905') }))).toEqual([15]);
    expect(frontier.holding).toBe(false);
  });
});
