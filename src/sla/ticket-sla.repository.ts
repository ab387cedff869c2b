// A ticket's service levels as stored: its trail as the clocks read it, its last evaluation (metrics and the
// tickets' sla_state columns), its timers and fired crossings, and the claims on tickets with a timer due.
import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import type { TicketSlaState } from '../tickets/ticket.entity';
import type { TicketPriority, TicketStatus } from '../tickets/ticket.enums';
import type { Role } from '../users/role.enum';
import type { CalendarRow, PolicyRow } from './sla-policies.repository';
import type { SlaMetric, TrailEvent } from './sla-metrics';

export interface TicketSlaRow {
  ticket_id: string;
  metric: SlaMetric;
  policy_id: string;
  policy_version: number;
  state: 'running' | 'paused' | 'met' | 'breached';
  consumed_seconds: number;
  target_seconds: number;
  due_at: Date | null;
  met_at: Date | null;
  breached_at: Date | null;
  evaluated_at: Date;
}

export interface TicketTrail {
  ticket: { id: string; priority: TicketPriority; status: TicketStatus; requester_id: string; created_at: Date };
  events: TrailEvent[];
}

export type TimerKind = 'warning' | 'breach';

export interface DueTimer {
  metric: SlaMetric;
  kind: TimerKind;
  threshold: number;
  at: Date;
}

/** The SLA's own events say nothing about the clocks: a replay reads the rest of the trail. */
const SLA_EVENT_TYPES = ['sla_warning', 'sla_breached', 'sla_paused', 'sla_resumed', 'sla_met'];

@Injectable()
export class TicketSlaRepository extends TransactionalRepository {
  // ---- the trail, as the clocks read it

  /**
   * The ticket (locked with `lock`, so that its evaluations take turns), its whole audit trail with each
   * actor's role, its metrics as last stored, and the default policy with its calendar — in one round trip,
   * since every change of a ticket pays it.
   */
  async findTicketTrail(ticketId: string, lock: boolean): Promise<(TicketTrail & { stored: TicketSlaRow[]; policy: PolicyRow | null; calendar: CalendarRow | null }) | null> {
    type Row = TicketTrail['ticket'] & {
      events: Array<[string, string, string | null, Role | null, Record<string, unknown>]>;
      stored: TicketSlaRow[];
      policy: PolicyRow | null;
      calendar: CalendarRow | null;
    };
    const [row] = await this.manager.query<Row[]>(
      `SELECT t.id, t.priority, t.status, t.requester_id, t.created_at,
              coalesce((SELECT json_agg(json_build_array(e.created_at, e.type, e.actor_id, u.role::text, e.payload) ORDER BY e.id)
                        FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = t.id), '[]'::json) AS events,
              coalesce((SELECT json_agg(s) FROM ticket_slas s WHERE s.ticket_id = t.id), '[]'::json) AS stored,
              (SELECT row_to_json(p) FROM sla_policies p WHERE p.is_current AND p.is_default) AS policy,
              (SELECT row_to_json(c) FROM sla_calendars c JOIN sla_policies p ON p.calendar_id = c.id WHERE p.is_current AND p.is_default) AS calendar
       FROM tickets t WHERE t.id = $1${lock ? ' FOR NO KEY UPDATE OF t' : ''}`,
      [ticketId],
    );
    if (!row) return null;
    const { events, stored, policy, calendar, ...ticket } = row;
    return {
      ticket,
      events: events.map(([at, type, actorId, actorRole, payload]) => ({ at: new Date(at), type, actorId, actorRole, payload })),
      stored,
      policy,
      calendar,
    };
  }

  /** Tickets filed since `since` with their trails, a page at a time in id order (for a simulation). */
  async trailsFiledSince(since: Date, afterId: string | null, limit: number): Promise<TicketTrail[]> {
    const tickets = await this.manager.query<TicketTrail['ticket'][]>(
      `SELECT id, priority, status, requester_id, created_at FROM tickets WHERE created_at >= $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [since, afterId, limit],
    );
    if (tickets.length === 0) return [];
    const rows = await this.manager.query<Array<{ ticket_id: string; created_at: Date; type: string; actor_id: string | null; role: Role | null; payload: Record<string, unknown> }>>(
      `SELECT e.ticket_id, e.created_at, e.type, e.actor_id, u.role::text AS role, e.payload
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.ticket_id = ANY($1::uuid[]) AND e.type <> ALL($2::text[]) ORDER BY e.ticket_id, e.id`,
      [tickets.map((ticket) => ticket.id), SLA_EVENT_TYPES],
    );
    const events = new Map<string, TrailEvent[]>(tickets.map((ticket) => [ticket.id, []]));
    for (const row of rows) events.get(row.ticket_id)!.push({ at: new Date(row.created_at), type: row.type, actorId: row.actor_id, actorRole: row.role, payload: row.payload });
    return tickets.map((ticket) => ({ ticket, events: events.get(ticket.id)! }));
  }

  // ---- the stored evaluation

  /**
   * The evaluation, in one statement: the ticket's metrics, its one-word summary for the list, and its unfired
   * timers made exactly `timers` (each threshold not crossed yet, due when the clock will reach it if it keeps
   * running; the others dropped).
   */
  async saveEvaluation(ticketId: string, rows: TicketSlaRow[], summary: TicketSlaState, dueAt: Date | null, timers: DueTimer[]): Promise<void> {
    const column = <K extends keyof TicketSlaRow>(key: K) => rows.map((row) => row[key]);
    await this.manager.query(
      `WITH due AS (SELECT * FROM unnest($14::text[], $15::text[], $16::float8[], $17::timestamptz[]) AS due(metric, kind, threshold, due_at)),
       dropped AS (
         DELETE FROM sla_timers t WHERE t.ticket_id = $1 AND t.fired_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM due WHERE due.metric = t.metric AND due.kind = t.kind AND due.threshold = t.threshold)
       ),
       scheduled AS (
         INSERT INTO sla_timers (ticket_id, metric, kind, threshold, due_at) SELECT $1, metric, kind, threshold, due_at FROM due
         ON CONFLICT (ticket_id, metric, kind, threshold) DO UPDATE SET due_at = EXCLUDED.due_at WHERE sla_timers.fired_at IS NULL
       ),
       saved AS (
         INSERT INTO ticket_slas (ticket_id, metric, policy_id, policy_version, state, consumed_seconds, target_seconds, due_at, met_at, breached_at, evaluated_at)
         SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::int[], $5::text[], $6::int[], $7::int[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])
         ON CONFLICT (ticket_id, metric) DO UPDATE SET policy_id = EXCLUDED.policy_id, policy_version = EXCLUDED.policy_version, state = EXCLUDED.state,
           consumed_seconds = EXCLUDED.consumed_seconds, target_seconds = EXCLUDED.target_seconds, due_at = EXCLUDED.due_at,
           met_at = EXCLUDED.met_at, breached_at = EXCLUDED.breached_at, evaluated_at = EXCLUDED.evaluated_at
       )
       UPDATE tickets SET sla_state = $12, sla_due_at = $13 WHERE id = $1`,
      [
        ticketId,
        column('metric'),
        column('policy_id'),
        column('policy_version'),
        column('state'),
        column('consumed_seconds'),
        column('target_seconds'),
        column('due_at'),
        column('met_at'),
        column('breached_at'),
        column('evaluated_at'),
        summary,
        dueAt,
        timers.map((timer) => timer.metric),
        timers.map((timer) => timer.kind),
        timers.map((timer) => timer.threshold),
        timers.map((timer) => timer.at),
      ],
    );
  }

  /**
   * The ticket's clocks cannot be counted (see SlaEvaluator.evaluate): the queue shows `unknown`, no due
   * time, and no timer waits to fire (it would fail the same way at every look). The last stored metrics
   * stay, so nothing is announced twice once the clocks can be counted again.
   */
  async saveUnknown(ticketId: string): Promise<void> {
    await this.manager.query(
      `WITH dropped AS (DELETE FROM sla_timers WHERE ticket_id = $1 AND fired_at IS NULL)
       UPDATE tickets SET sla_state = 'unknown', sla_due_at = NULL WHERE id = $1`,
      [ticketId],
    );
  }

  // ---- timers and fired crossings

  /**
   * Marks a crossed threshold as fired; true only the first time for this ticket, metric, kind and
   * threshold — on any instance — so each warning and breach is announced once.
   */
  async fireOnce(ticketId: string, metric: SlaMetric, kind: TimerKind, threshold: number, dueAt: Date): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(
      `INSERT INTO sla_timers (ticket_id, metric, kind, threshold, due_at, fired_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (ticket_id, metric, kind, threshold) DO UPDATE SET fired_at = now(), due_at = EXCLUDED.due_at WHERE sla_timers.fired_at IS NULL
       RETURNING id`,
      [ticketId, metric, kind, threshold, dueAt],
    );
    return rows.length > 0;
  }

  /**
   * Tickets with a timer due, claimed for this transaction: another instance skips them (SKIP LOCKED) and
   * takes the next ones, so each is evaluated by one instance at a time.
   */
  async claimDueTickets(limit: number): Promise<string[]> {
    const rows = await this.manager.query<{ ticket_id: string }[]>(
      `SELECT ticket_id FROM sla_timers WHERE fired_at IS NULL AND due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return [...new Set(rows.map((row) => row.ticket_id))];
  }

  // ---- tickets to measure again

  /** Open tickets, for re-evaluating them when the default policy or a calendar changes; `unevaluated`: only those never evaluated (tickets from before service levels). */
  async openTicketIds(stopStatuses: readonly string[], afterId: string | null, limit: number, unevaluated = false): Promise<string[]> {
    const rows = await this.manager.query<{ id: string }[]>(
      `SELECT id FROM tickets WHERE NOT (status::text = ANY($1::text[])) AND ($2::uuid IS NULL OR id > $2)${unevaluated ? ' AND sla_state IS NULL' : ''} ORDER BY id LIMIT $3`,
      [stopStatuses, afterId, limit],
    );
    return rows.map((row) => row.id);
  }
}
