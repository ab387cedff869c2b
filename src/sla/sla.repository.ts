// All of the SLA's SQL: calendars, policy versions, each ticket's evaluated metrics and the durable timers.
import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import type { TicketSlaState } from '../tickets/ticket.entity';
import type { TicketPriority, TicketStatus } from '../tickets/ticket.enums';
import type { Role } from '../users/role.enum';
import type { CalendarSpec } from './business-calendar';
import type { FirstResponseKind, SlaMetric, TrailEvent } from './sla-metrics';

export interface CalendarRow extends CalendarSpec {
  id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
}

export interface PolicyRow {
  policy_id: string;
  version: number;
  name: string;
  calendar_id: string | null;
  targets: Record<TicketPriority, Record<SlaMetric, string>>;
  pause_statuses: TicketStatus[];
  stop_statuses: TicketStatus[];
  warning_thresholds: number[];
  first_response: FirstResponseKind[];
  is_current: boolean;
  is_default: boolean;
  created_at: Date;
}

export type NewPolicyVersion = Omit<PolicyRow, 'version' | 'is_current' | 'created_at'> & { created_by: string | null };

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

/** The SLA's own events say nothing about the clocks: a replay reads the rest of the trail. */
const SLA_EVENT_TYPES = ['sla_warning', 'sla_breached', 'sla_paused', 'sla_resumed', 'sla_met'];

const POLICY_COLUMNS = `policy_id, version, name, calendar_id, targets, pause_statuses, stop_statuses, warning_thresholds, first_response, is_current, is_default, created_at`;

@Injectable()
export class SlaRepository extends TransactionalRepository {
  // ---- calendars

  listCalendars(): Promise<CalendarRow[]> {
    return this.manager.query(`SELECT * FROM sla_calendars ORDER BY name`);
  }

  async findCalendar(id: string): Promise<CalendarRow | null> {
    const [row] = await this.manager.query<CalendarRow[]>(`SELECT * FROM sla_calendars WHERE id = $1`, [id]);
    return row ?? null;
  }

  async insertCalendar(calendar: Omit<CalendarRow, 'id' | 'created_at' | 'updated_at'>): Promise<CalendarRow> {
    const [row] = await this.manager.query<CalendarRow[]>(
      `INSERT INTO sla_calendars (name, time_zone, working_hours, holidays) VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING *`,
      [calendar.name, calendar.time_zone, JSON.stringify(calendar.working_hours), JSON.stringify(calendar.holidays)],
    );
    return row;
  }

  async updateCalendar(id: string, calendar: Omit<CalendarRow, 'id' | 'created_at' | 'updated_at'>): Promise<CalendarRow | null> {
    // TypeORM answers an UPDATE with [rows, count].
    const [[row]] = await this.manager.query<[CalendarRow[], number]>(
      `UPDATE sla_calendars SET name = $2, time_zone = $3, working_hours = $4::jsonb, holidays = $5::jsonb, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, calendar.name, calendar.time_zone, JSON.stringify(calendar.working_hours), JSON.stringify(calendar.holidays)],
    );
    return row ?? null;
  }

  async deleteCalendar(id: string): Promise<boolean> {
    const [, deleted] = await this.manager.query<[unknown, number]>(`DELETE FROM sla_calendars WHERE id = $1`, [id]);
    return deleted > 0;
  }

  async calendarInUse(id: string): Promise<boolean> {
    const [row] = await this.manager.query<{ used: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM sla_policies WHERE calendar_id = $1) AS used`, [id]);
    return row.used;
  }

  async calendarNameTaken(name: string, exceptId: string | null): Promise<boolean> {
    const [row] = await this.manager.query<{ taken: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM sla_calendars WHERE name = $1 AND id IS DISTINCT FROM $2) AS taken`, [name, exceptId]);
    return row.taken;
  }

  // ---- policies

  listCurrentPolicies(): Promise<PolicyRow[]> {
    return this.manager.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE is_current ORDER BY is_default DESC, name`);
  }

  async findPolicy(policyId: string, version?: number): Promise<PolicyRow | null> {
    const [row] = await this.manager.query<PolicyRow[]>(
      version === undefined
        ? `SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE policy_id = $1 ORDER BY version DESC LIMIT 1`
        : `SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE policy_id = $1 AND version = $2`,
      version === undefined ? [policyId] : [policyId, version],
    );
    return row ?? null;
  }

  listVersions(policyId: string): Promise<PolicyRow[]> {
    return this.manager.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE policy_id = $1 ORDER BY version DESC`, [policyId]);
  }

  async findDefaultPolicy(): Promise<PolicyRow | null> {
    const [row] = await this.manager.query<PolicyRow[]>(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE is_current AND is_default`);
    return row ?? null;
  }

  async policyNameTaken(name: string, exceptPolicyId: string | null): Promise<boolean> {
    const [row] = await this.manager.query<{ taken: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM sla_policies WHERE is_current AND name = $1 AND policy_id IS DISTINCT FROM $2) AS taken`,
      [name, exceptPolicyId],
    );
    return row.taken;
  }

  /** Adds the next version of a policy (the first for a new one) and makes it the current one. */
  async insertPolicyVersion(policy: NewPolicyVersion): Promise<PolicyRow> {
    // Serialises concurrent edits of one policy: every version is locked, so the second edit waits, and its
    // next statements (each reads what has committed) retire the first's version and number after it.
    await this.manager.query(`SELECT version FROM sla_policies WHERE policy_id = $1 FOR UPDATE`, [policy.policy_id]);
    await this.manager.query(`UPDATE sla_policies SET is_current = false, is_default = false WHERE policy_id = $1 AND is_current`, [policy.policy_id]);
    if (policy.is_default) await this.manager.query(`UPDATE sla_policies SET is_default = false WHERE is_current AND is_default AND policy_id <> $1`, [policy.policy_id]);
    const [row] = await this.manager.query<PolicyRow[]>(
      `INSERT INTO sla_policies (policy_id, version, name, calendar_id, targets, pause_statuses, stop_statuses, warning_thresholds, first_response, is_default, created_by)
       VALUES ($1, coalesce((SELECT max(version) FROM sla_policies WHERE policy_id = $1), 0) + 1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10)
       RETURNING ${POLICY_COLUMNS}`,
      [
        policy.policy_id,
        policy.name,
        policy.calendar_id,
        JSON.stringify(policy.targets),
        policy.pause_statuses,
        policy.stop_statuses,
        policy.warning_thresholds,
        policy.first_response,
        policy.is_default,
        policy.created_by,
      ],
    );
    return row;
  }

  /** Retires a policy: no version of it is current any more (its versions stay, for tickets measured by them). */
  async retirePolicy(policyId: string): Promise<void> {
    await this.manager.query(`UPDATE sla_policies SET is_current = false WHERE policy_id = $1 AND is_current`, [policyId]);
  }

  // ---- tickets

  /** The ticket (locked with `lock`, so that its evaluations take turns) and its whole audit trail with each actor's role. */
  async findTicketTrail(ticketId: string, lock: boolean): Promise<TicketTrail | null> {
    const [ticket] = await this.manager.query<TicketTrail['ticket'][]>(
      `SELECT id, priority, status, requester_id, created_at FROM tickets WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [ticketId],
    );
    if (!ticket) return null;
    const rows = await this.manager.query<Array<{ created_at: Date; type: string; actor_id: string | null; role: Role | null; payload: Record<string, unknown> }>>(
      `SELECT e.created_at, e.type, e.actor_id, u.role::text AS role, e.payload
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.ticket_id = $1 ORDER BY e.id`,
      [ticketId],
    );
    return { ticket, events: rows.map((row) => ({ at: new Date(row.created_at), type: row.type, actorId: row.actor_id, actorRole: row.role, payload: row.payload })) };
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

  findTicketSlas(ticketId: string): Promise<TicketSlaRow[]> {
    return this.manager.query(`SELECT * FROM ticket_slas WHERE ticket_id = $1 ORDER BY metric`, [ticketId]);
  }

  async saveTicketSla(row: TicketSlaRow): Promise<void> {
    await this.manager.query(
      `INSERT INTO ticket_slas (ticket_id, metric, policy_id, policy_version, state, consumed_seconds, target_seconds, due_at, met_at, breached_at, evaluated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (ticket_id, metric) DO UPDATE SET policy_id = EXCLUDED.policy_id, policy_version = EXCLUDED.policy_version, state = EXCLUDED.state,
         consumed_seconds = EXCLUDED.consumed_seconds, target_seconds = EXCLUDED.target_seconds, due_at = EXCLUDED.due_at,
         met_at = EXCLUDED.met_at, breached_at = EXCLUDED.breached_at, evaluated_at = EXCLUDED.evaluated_at`,
      [row.ticket_id, row.metric, row.policy_id, row.policy_version, row.state, row.consumed_seconds, row.target_seconds, row.due_at, row.met_at, row.breached_at, row.evaluated_at],
    );
  }

  /** The ticket's summary of its metrics, for the list's filter and order (not a change of the ticket: updated_at stays). */
  async saveTicketSummary(ticketId: string, state: TicketSlaState, dueAt: Date | null): Promise<void> {
    await this.manager.query(`UPDATE tickets SET sla_state = $2, sla_due_at = $3 WHERE id = $1`, [ticketId, state, dueAt]);
  }

  // ---- timers

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

  /** The timer for a threshold not crossed yet, due when the clock will reach it if it keeps running. */
  async schedule(ticketId: string, metric: SlaMetric, kind: TimerKind, threshold: number, dueAt: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO sla_timers (ticket_id, metric, kind, threshold, due_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (ticket_id, metric, kind, threshold) DO UPDATE SET due_at = EXCLUDED.due_at WHERE sla_timers.fired_at IS NULL`,
      [ticketId, metric, kind, threshold, dueAt],
    );
  }

  /** Unfired timers of a metric whose clock stands still or has stopped: nothing is due until it runs again. */
  async unschedule(ticketId: string, metric: SlaMetric, keep: Array<{ kind: TimerKind; threshold: number }> = []): Promise<void> {
    await this.manager.query(
      `DELETE FROM sla_timers WHERE ticket_id = $1 AND metric = $2 AND fired_at IS NULL
         AND NOT (kind || ':' || threshold::text = ANY($3::text[]))`,
      [ticketId, metric, keep.map((timer) => `${timer.kind}:${timer.threshold}`)],
    );
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

  /** Open tickets, for re-evaluating them when the default policy or a calendar changes; `unevaluated`: only those never evaluated (tickets from before service levels). */
  async openTicketIds(stopStatuses: readonly string[], afterId: string | null, limit: number, unevaluated = false): Promise<string[]> {
    const rows = await this.manager.query<{ id: string }[]>(
      `SELECT id FROM tickets WHERE NOT (status::text = ANY($1::text[])) AND ($2::uuid IS NULL OR id > $2)${unevaluated ? ' AND sla_state IS NULL' : ''} ORDER BY id LIMIT $3`,
      [stopStatuses, afterId, limit],
    );
    return rows.map((row) => row.id);
  }
}
