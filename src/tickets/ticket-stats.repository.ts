// The SQL behind the support dashboard (GET /tickets/stats). Status moves are read from the audit trail,
// each ticket's events through their (ticket_id, id) index.
import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import type { Role } from '../users/role.enum';
import { TicketEventType } from './ticket-events';
import { TicketPriority, TicketStatus } from './ticket.enums';

/** How many durations fell in each bucket, by width_bucket's index: 0 below the first bound, i from bound i. Empty buckets are absent. */
export type BucketCounts = Array<{ bucket: number; count: number }>;

export interface ResolutionFigures {
  resolved: number;
  assistantResolved: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  buckets: BucketCounts;
}

export interface WaitingTicket {
  id: string;
  title: string;
  priority: TicketPriority;
  requesterId: string;
  waitingSeconds: number;
}

/**
 * The events of ticket `t` that moved it into `status`: a workflow_update whose changes name it, or the
 * created event of a ticket filed in it. (The status is one of our enum's constants, never a client's input.)
 */
const movesInto = (status: TicketStatus) =>
  `e.ticket_id = t.id AND e.type = '${TicketEventType.WorkflowUpdate}'
   AND (e.payload->'changes'->'status'->>'to' = '${status}' OR (e.payload->>'change' = 'created' AND e.payload->>'status' = '${status}'))`;

/** Whole seconds from `since` to `until`, rounded down, so a bucket bound compares as the duration shown. */
const secondsBetween = (since: string, until: string) => `floor(extract(epoch FROM (${until} - ${since})))::int`;

@Injectable()
export class TicketStatsRepository extends TransactionalRepository {
  /** Every ticket by its current status; statuses no ticket is in are absent. */
  countByStatus(): Promise<Array<{ status: TicketStatus; count: number }>> {
    return this.manager.query(`SELECT status, count(*)::int AS count FROM tickets GROUP BY status`);
  }

  /** Tickets a major incident took over since `since` (told on their trail that the problem is known), each once. */
  async countAbsorbedByIncidents(since: Date): Promise<number> {
    const [row] = await this.manager.query<Array<{ count: number }>>(
      `SELECT count(DISTINCT ticket_id)::int AS count FROM ticket_events
        WHERE type IN ('${TicketEventType.IncidentOpened}', '${TicketEventType.IncidentLinked}') AND NOT staff_only AND created_at >= $1`,
      [since],
    );
    return row.count;
  }

  /** Tickets filed since `since`, by UTC day ('YYYY-MM-DD'); days without one are absent. */
  countFiledPerDay(since: Date): Promise<Array<{ date: string; count: number }>> {
    return this.manager.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, count(*)::int AS count
       FROM tickets WHERE created_at >= $1 GROUP BY 1`,
      [since],
    );
  }

  /**
   * Tickets first resolved since `since`: how many, how many without an event by a `staffRoles` user other
   * than the requester up to that resolution (a thank-you note from support afterwards changes nothing), and their times to resolution — nearest-rank median and 90th percentile
   * (percentile_disc), and counts per bucket of `bounds` (ascending, in seconds).
   */
  async findResolutionsSince(since: Date, bounds: readonly number[], staffRoles: readonly Role[]): Promise<ResolutionFigures> {
    // Only tickets updated since `since` can have been first resolved since: a status move updates its
    // ticket in the same transaction, so updated_at never precedes it. That keeps the scan to the window.
    const [row] = await this.manager.query<
      Array<{ resolved: number; assistant_resolved: number; median_seconds: number | null; p90_seconds: number | null; buckets: Array<[number, number]> }>
    >(
      `WITH resolved AS (
         SELECT ${secondsBetween('t.created_at', 'first_move.created_at')} AS seconds,
                NOT EXISTS (
                  SELECT 1 FROM ticket_events e JOIN users u ON u.id = e.actor_id
                  WHERE e.ticket_id = t.id AND e.id <= first_move.id AND e.actor_id <> t.requester_id AND u.role::text = ANY($3::text[])
                ) AS by_assistant
         FROM tickets t
         CROSS JOIN LATERAL (SELECT e.id, e.created_at FROM ticket_events e WHERE ${movesInto(TicketStatus.Resolved)} ORDER BY e.id LIMIT 1) AS first_move
         WHERE t.updated_at >= $1 AND first_move.created_at >= $1
       )
       SELECT count(*)::int AS resolved,
              (count(*) FILTER (WHERE by_assistant))::int AS assistant_resolved,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
              percentile_disc(0.9) WITHIN GROUP (ORDER BY seconds) AS p90_seconds,
              (SELECT coalesce(json_agg(json_build_array(bucket, n)), '[]'::json)
               FROM (SELECT width_bucket(seconds, $2::int[]) AS bucket, count(*)::int AS n FROM resolved GROUP BY 1) AS counted) AS buckets
       FROM resolved`,
      [since, bounds, staffRoles],
    );
    return {
      resolved: row.resolved,
      assistantResolved: row.assistant_resolved,
      medianSeconds: row.median_seconds,
      p90Seconds: row.p90_seconds,
      buckets: row.buckets.map(([bucket, count]) => ({ bucket, count })),
    };
  }

  /**
   * Tickets waiting for approval now, each since its latest move into that status (its last update, should
   * the trail not show one), measured to `now`: how many, the longest wait, counts per bucket of `bounds`
   * (ascending, in seconds), and the `limit` that have waited longest, oldest first.
   */
  async findApprovalsWaiting(now: Date, bounds: readonly number[], limit: number): Promise<{ count: number; oldestSeconds: number | null; buckets: BucketCounts; oldest: WaitingTicket[] }> {
    const waiting = `
      WITH waiting AS (
        SELECT t.id, t.title, t.priority, t.requester_id, since,
               greatest(0, ${secondsBetween('since', '$1::timestamptz')}) AS seconds
        FROM tickets t
        LEFT JOIN LATERAL (SELECT e.created_at FROM ticket_events e WHERE ${movesInto(TicketStatus.WaitingForApproval)} ORDER BY e.id DESC LIMIT 1) AS latest_move ON TRUE
        CROSS JOIN LATERAL (SELECT coalesce(latest_move.created_at, t.updated_at) AS since) AS waited
        WHERE t.status = '${TicketStatus.WaitingForApproval}'
      )`;
    const [summary] = await this.manager.query<Array<{ count: number; oldest_seconds: number | null; buckets: Array<[number, number]> }>>(
      `${waiting}
       SELECT count(*)::int AS count, max(seconds) AS oldest_seconds,
              (SELECT coalesce(json_agg(json_build_array(bucket, n)), '[]'::json)
               FROM (SELECT width_bucket(seconds, $2::int[]) AS bucket, count(*)::int AS n FROM waiting GROUP BY 1) AS counted) AS buckets
       FROM waiting`,
      [now, bounds],
    );
    const oldest = await this.manager.query<Array<{ id: string; title: string; priority: TicketPriority; requester_id: string; seconds: number }>>(
      `${waiting} SELECT id, title, priority, requester_id, seconds FROM waiting ORDER BY since, id LIMIT $2`,
      [now, limit],
    );
    return {
      count: summary.count,
      oldestSeconds: summary.oldest_seconds,
      buckets: summary.buckets.map(([bucket, count]) => ({ bucket, count })),
      oldest: oldest.map((row) => ({ id: row.id, title: row.title, priority: row.priority, requesterId: row.requester_id, waitingSeconds: row.seconds })),
    };
  }
}
