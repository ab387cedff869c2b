import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { CommittedRead, SnapshotInFlight } from './commit-frontier';

/** One event of the trail as a projection sees it: which ticket, what happened. */
export interface TrailEntry {
  id: number;
  ticketId: string;
  type: string;
  /** Whether it concerns each projection reading it (TrailProjection.concerns), in their order. */
  concerns: boolean[];
}

/**
 * What the statement's snapshot counts as in progress, as 32-bit ids (what pg_locks shows): its xmax, then
 * the transactions it lists, comma separated — text, so that the driver does not parse an array again for
 * every row that repeats it.
 */
export const RUNNING_TRANSACTIONS = `concat_ws(',', pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296,
  NULLIF(array_to_string(ARRAY(SELECT x::text::bigint % 4294967296 FROM pg_snapshot_xip(pg_current_snapshot()) AS x), ','), ''))`;

/** Transactions holding a write lock on the events table now (32-bit ids): those that may draw or hold an event id. */
export const EVENT_WRITERS = `SELECT DISTINCT own.transactionid::text AS xid
   FROM pg_locks AS writes
   JOIN pg_locks AS own ON own.virtualtransaction = writes.virtualtransaction AND own.locktype = 'transactionid'
  WHERE writes.locktype = 'relation' AND writes.relation = 'ticket_events'::regclass AND writes.mode = 'RowExclusiveLock'`;

export const inFlight = (running: string | null | undefined): SnapshotInFlight => {
  const [xmax, ...listed] = running ? running.split(',') : ['0'];
  return new SnapshotInFlight(new Set(listed), Number(xmax));
};

/** The trail's readers: where each projection stands, and who may still commit an event. */
@Injectable()
export class TrailRepository extends TransactionalRepository {
  /** A projection met for the first time starts at the newest event: what came before was derived inside the writes. */
  async startConsumer(consumer: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO trail_checkpoints (consumer, last_event_id) SELECT $1, COALESCE(MAX(id), 0) FROM ticket_events ON CONFLICT (consumer) DO NOTHING`,
      [consumer],
    );
  }

  /**
   * In one statement: claims the consumer's checkpoint for the caller's transaction (null when another
   * instance holds it) and reads the events after it, in id order, with the snapshot's transactions in flight.
   */
  async claimAndRead(consumer: string, limit: number, concerns: readonly string[]): Promise<{ checkpoint: number; read: CommittedRead<TrailEntry> } | null> {
    // Every id is read (the frontier must see the gaps); `concerns` only marks the rows.
    const marks = concerns.length > 0 ? `ARRAY[${concerns.map((condition) => `(${condition})`).join(', ')}]` : `ARRAY[]::boolean[]`;
    const rows = await this.manager.query<Array<{ checkpoint: string; id: string | null; ticket_id: string | null; type: string | null; concerns: boolean[]; running: string }>>(
      `WITH claimed AS (SELECT last_event_id FROM trail_checkpoints WHERE consumer = $1 FOR UPDATE SKIP LOCKED)
       SELECT claimed.last_event_id AS checkpoint, event.id, event.ticket_id, event.type, event.concerns, ${RUNNING_TRANSACTIONS} AS running
         FROM claimed
         LEFT JOIN LATERAL (SELECT event.id, event.ticket_id, event.type, ${marks} AS concerns
                              FROM ticket_events AS event WHERE event.id > claimed.last_event_id ORDER BY event.id LIMIT $2) AS event ON true
        ORDER BY event.id`,
      [consumer, limit],
    );
    if (rows.length === 0) return null;
    const entries = rows
      .filter((row) => row.id !== null)
      .map((row) => ({ id: Number(row.id), ticketId: row.ticket_id!, type: row.type!, concerns: row.concerns }));
    return { checkpoint: Number(rows[0].checkpoint), read: { rows: entries, running: inFlight(rows[0].running) } };
  }

  async moveCheckpoint(consumer: string, lastEventId: number): Promise<void> {
    await this.manager.query(`UPDATE trail_checkpoints SET last_event_id = $2, updated_at = now() WHERE consumer = $1`, [consumer, lastEventId]);
  }

  /** Transactions holding a write lock on the events table now (32-bit ids): those that may draw or hold an event id. */
  async eventWriters(): Promise<Set<string>> {
    const rows = await this.manager.query<Array<{ xid: string }>>(EVENT_WRITERS);
    return new Set(rows.map((row) => row.xid));
  }
}
