// The admin's SLA configuration: business calendars and the versions of each policy (the current one, the default).
import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import type { TicketPriority, TicketStatus } from '../tickets/ticket.enums';
import type { CalendarSpec } from './business-calendar';
import type { ApprovalSettingsDto } from './dto/approval-settings.dto';
import type { FirstResponseKind, SlaMetric } from './sla-metrics';

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
  approvals: ApprovalSettingsDto;
  is_current: boolean;
  is_default: boolean;
  created_at: Date;
}

export type NewPolicyVersion = Omit<PolicyRow, 'version' | 'is_current' | 'created_at'> & { created_by: string | null };

const POLICY_COLUMNS = `policy_id, version, name, calendar_id, targets, pause_statuses, stop_statuses, warning_thresholds, first_response, approvals, is_current, is_default, created_at`;

@Injectable()
export class SlaPoliciesRepository extends TransactionalRepository {
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
      `INSERT INTO sla_policies (policy_id, version, name, calendar_id, targets, pause_statuses, stop_statuses, warning_thresholds, first_response, is_default, created_by, approvals)
       VALUES ($1, coalesce((SELECT max(version) FROM sla_policies WHERE policy_id = $1), 0) + 1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11::jsonb)
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
        JSON.stringify(policy.approvals),
      ],
    );
    return row;
  }

  /** Retires a policy: no version of it is current any more (its versions stay, for tickets measured by them). */
  async retirePolicy(policyId: string): Promise<void> {
    await this.manager.query(`UPDATE sla_policies SET is_current = false WHERE policy_id = $1 AND is_current`, [policyId]);
  }

  /** The current policies that count in this calendar (to check a change of it against). */
  listCurrentPoliciesIn(calendarId: string): Promise<PolicyRow[]> {
    return this.manager.query(`SELECT ${POLICY_COLUMNS} FROM sla_policies WHERE is_current AND calendar_id = $1 ORDER BY name`, [calendarId]);
  }
}
