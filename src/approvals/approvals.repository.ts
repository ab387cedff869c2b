// All of the approvals' SQL: the requests, their timers and the delegations.
import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import type { ExpiryAction } from '../sla/dto/approval-settings.dto';
import type { ApprovalPlan } from './approval-plan';

export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired' | 'superseded' | 'closed';

export interface ApprovalRow {
  id: string;
  ticket_id: string;
  pending_id: string;
  state: ApprovalState;
  plan: ApprovalPlan;
  plan_hash: string;
  policy_id: string | null;
  policy_version: number | null;
  on_expiry: ExpiryAction;
  requested_at: Date;
  due_at: Date | null;
  reminder_times: Date[];
  reminders_sent: number;
  next_timer_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
}

export type NewApproval = Pick<ApprovalRow, 'ticket_id' | 'pending_id' | 'plan' | 'plan_hash' | 'policy_id' | 'policy_version' | 'on_expiry' | 'requested_at' | 'due_at' | 'reminder_times' | 'next_timer_at'>;

/** A waiting approval as the list shows it: the request, its ticket, and why it is the viewer's. */
export interface WaitingApprovalRow extends ApprovalRow {
  title: string;
  request_type: string;
  priority: string;
  requester_id: string;
  assignee_id: string | null;
  /** The approver who handed it to the viewer (a delegation), if that is why it is theirs. */
  delegated_by: string | null;
}

export interface DelegationRow {
  id: string;
  delegator_id: string;
  delegate_id: string;
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
}

/** The advisory locks of delegations: a class of their own, so they never meet another module's. */
const DELEGATION_LOCK_CLASS = 0x0de1;

const COLUMNS = `a.id, a.ticket_id, a.pending_id, a.state, a.plan, a.plan_hash, a.policy_id, a.policy_version, a.on_expiry,
  a.requested_at, a.due_at, a.reminder_times, a.reminders_sent, a.next_timer_at, a.decided_at, a.decided_by`;

@Injectable()
export class ApprovalsRepository extends TransactionalRepository {
  /** The ticket's open request, locked (the caller holds the ticket's lock, so nobody else is changing it). */
  async findPending(ticketId: string): Promise<ApprovalRow | null> {
    const [row] = await this.manager.query<ApprovalRow[]>(`SELECT ${COLUMNS} FROM approvals a WHERE a.ticket_id = $1 AND a.state = 'pending' FOR UPDATE`, [ticketId]);
    return row ?? null;
  }

  /**
   * Settles the latest request raised for the pause `pendingId` — if it is still pending, for the plan
   * `planHash` (when given) and, for an expiry (`onlyIfDue`), due by the database's clock — in one
   * statement. The request as it was before (null if none was raised), and whether this call settled it.
   */
  async settleLatestFor(
    ticketId: string,
    pendingId: string,
    decision: { state: Exclude<ApprovalState, 'pending'>; decidedBy: string | null; onlyIfDue: boolean; planHash: string | null },
  ): Promise<{ request: ApprovalRow; settled: boolean } | null> {
    const [row] = await this.manager.query<Array<ApprovalRow & { settled: boolean }>>(
      `WITH latest AS (
         SELECT ${COLUMNS} FROM approvals a WHERE a.ticket_id = $1 AND a.pending_id = $2 ORDER BY a.requested_at DESC, (a.state = 'pending') DESC LIMIT 1
       ), settled AS (
         UPDATE approvals SET state = $3, decided_at = clock_timestamp(), decided_by = $4, next_timer_at = NULL
           FROM latest
          WHERE approvals.id = latest.id AND approvals.state = 'pending'
            AND (NOT $5 OR approvals.due_at <= clock_timestamp()) AND ($6::text IS NULL OR approvals.plan_hash = $6)
         RETURNING approvals.id
       )
       SELECT latest.*, EXISTS (SELECT 1 FROM settled) AS settled FROM latest`,
      [ticketId, pendingId, decision.state, decision.decidedBy, decision.onlyIfDue, decision.planHash],
    );
    if (!row) return null;
    const { settled, ...request } = row;
    return { request, settled };
  }

  async insert(approval: NewApproval): Promise<ApprovalRow> {
    const [row] = await this.manager.query<ApprovalRow[]>(
      `INSERT INTO approvals AS a (ticket_id, pending_id, plan, plan_hash, policy_id, policy_version, on_expiry, due_at, reminder_times, next_timer_at, requested_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9::timestamptz[], $10, $11)
       RETURNING ${COLUMNS}`,
      [
        approval.ticket_id,
        approval.pending_id,
        JSON.stringify(approval.plan),
        approval.plan_hash,
        approval.policy_id,
        approval.policy_version,
        approval.on_expiry,
        approval.due_at,
        approval.reminder_times.map((at) => at.toISOString()),
        approval.next_timer_at,
        approval.requested_at,
      ],
    );
    return row;
  }

  /**
   * Compare-and-set out of `pending`: true for the one caller that moved it. `onlyIfDue` (an expiry) also
   * requires the due time to have passed by the database's clock.
   */
  async settle(id: string, state: Exclude<ApprovalState, 'pending'>, decidedBy: string | null, onlyIfDue = false): Promise<boolean> {
    const [rows]: [unknown[]] = await this.manager.query(
      `UPDATE approvals SET state = $2, decided_at = clock_timestamp(), decided_by = $3, next_timer_at = NULL
       WHERE id = $1 AND state = 'pending' AND (NOT $4 OR due_at <= clock_timestamp()) RETURNING id`,
      [id, state, decidedBy, onlyIfDue],
    );
    return rows.length > 0;
  }

  /** Records the `sent`-th reminder, once: false when another instance sent it first or the request is settled. */
  async markReminded(id: string, sent: number, nextTimerAt: Date | null): Promise<boolean> {
    const [rows]: [unknown[]] = await this.manager.query(
      `UPDATE approvals SET reminders_sent = $2, next_timer_at = $3 WHERE id = $1 AND state = 'pending' AND reminders_sent = $2 - 1 RETURNING id`,
      [id, sent, nextTimerAt],
    );
    return rows.length > 0;
  }

  /**
   * The next request with a timer due, its ticket locked for this transaction: another instance skips it
   * (SKIP LOCKED), and a person deciding it meanwhile waits for the ticket — one of the two is applied.
   * Only the ticket is locked, as every other writer locks it first.
   */
  async claimDue(): Promise<ApprovalRow | null> {
    const [row] = await this.manager.query<ApprovalRow[]>(
      `SELECT ${COLUMNS} FROM approvals a JOIN tickets t ON t.id = a.ticket_id
        WHERE a.state = 'pending' AND a.next_timer_at <= clock_timestamp()
        ORDER BY a.next_timer_at LIMIT 1 FOR NO KEY UPDATE OF t SKIP LOCKED`,
    );
    if (!row) return null;
    // Read again now that the ticket is ours: a decision committed just before may have settled it.
    const [current] = await this.manager.query<ApprovalRow[]>(`SELECT ${COLUMNS} FROM approvals a WHERE a.id = $1 AND a.state = 'pending'`, [row.id]);
    return current ?? null;
  }

  /**
   * Requests waiting for a decision, oldest first: all of them, or (`mine`) those of the viewer — on tickets
   * assigned to them or to someone who delegated to them now, or on nobody's (the shared queue) — never the
   * viewer's own requests. Only requests the run still waits for are listed.
   */
  async listWaiting(viewerId: string, mine: boolean, limit: number, ticketId: string | null): Promise<WaitingApprovalRow[]> {
    return this.manager.query<WaitingApprovalRow[]>(
      `SELECT ${COLUMNS}, t.title, t.request_type, t.priority, t.requester_id, t.assignee_id,
              CASE WHEN t.assignee_id IS DISTINCT FROM $1 THEN d.delegator_id END AS delegated_by
         FROM approvals a
         JOIN tickets t ON t.id = a.ticket_id
         JOIN workflow_runs r ON r.ticket_id = a.ticket_id AND r.state = 'waiting' AND r.pending->>'id' = a.pending_id
         LEFT JOIN LATERAL (
           SELECT delegator_id FROM approval_delegations
            WHERE delegate_id = $1 AND delegator_id = t.assignee_id AND starts_at <= now() AND ends_at > now() LIMIT 1
         ) d ON true
        WHERE a.state = 'pending' AND ($4::uuid IS NULL OR a.ticket_id = $4)
          AND (NOT $2 OR (t.requester_id <> $1 AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR d.delegator_id IS NOT NULL)))
        ORDER BY a.requested_at, a.id
        LIMIT $3`,
      [viewerId, mine, limit, ticketId],
    );
  }

  /** Who stands in for the approver now (an active delegation from them). */
  async activeDelegates(approverId: string): Promise<string[]> {
    const rows = await this.manager.query<Array<{ delegate_id: string }>>(
      `SELECT delegate_id FROM approval_delegations WHERE delegator_id = $1 AND starts_at <= now() AND ends_at > now() ORDER BY starts_at`,
      [approverId],
    );
    return rows.map((row) => row.delegate_id);
  }

  // ---- delegations

  /**
   * Makes the delegations of these users take turns until the transaction ends (a count or a cycle checked
   * by one is then true when it inserts). Advisory locks of a class of their own: no other writer waits.
   */
  async lockDelegationsOf(userIds: string[]): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(${DELEGATION_LOCK_CLASS}, hashtext(id::text)) FROM unnest($1::uuid[]) AS id ORDER BY id`, [userIds]);
  }

  /** Delegations from the user that have not ended (those to come included). */
  async countOpenDelegationsFrom(delegatorId: string): Promise<number> {
    const [row] = await this.manager.query<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM approval_delegations WHERE delegator_id = $1 AND ends_at > now()`, [delegatorId]);
    return row.count;
  }

  /** A delegation from `delegatorId` to `delegateId` whose period overlaps [startsAt, endsAt), if any. */
  async findOverlappingDelegation(delegatorId: string, delegateId: string, startsAt: Date, endsAt: Date): Promise<DelegationRow | null> {
    const [row] = await this.manager.query<DelegationRow[]>(
      `SELECT * FROM approval_delegations WHERE delegator_id = $1 AND delegate_id = $2 AND starts_at < $4 AND ends_at > $3 AND ends_at > now() ORDER BY starts_at LIMIT 1`,
      [delegatorId, delegateId, startsAt, endsAt],
    );
    return row ?? null;
  }

  /** Ends (deletes, as a revocation does) the delegations to the user that have not ended, if they may no longer decide approvals. */
  async endDelegationsToUnqualified(delegateId: string): Promise<number> {
    const [, ended] = await this.manager.query<[unknown, number]>(
      `DELETE FROM approval_delegations d USING users u
        WHERE d.delegate_id = $1 AND u.id = d.delegate_id AND d.ends_at > now()
          AND (NOT u.is_active OR u.role::text NOT IN ('support', 'admin'))`,
      [delegateId],
    );
    return ended;
  }

  async insertDelegation(delegation: Omit<DelegationRow, 'id' | 'created_at'>): Promise<DelegationRow> {
    const [row] = await this.manager.query<DelegationRow[]>(
      `INSERT INTO approval_delegations (delegator_id, delegate_id, starts_at, ends_at) VALUES ($1, $2, $3, $4) RETURNING *`,
      [delegation.delegator_id, delegation.delegate_id, delegation.starts_at, delegation.ends_at],
    );
    return row;
  }

  /** Delegations from or to the user that have not ended, soonest first. */
  listDelegations(userId: string): Promise<DelegationRow[]> {
    return this.manager.query<DelegationRow[]>(
      `SELECT * FROM approval_delegations WHERE (delegator_id = $1 OR delegate_id = $1) AND ends_at > now() ORDER BY starts_at, id`,
      [userId],
    );
  }

  async findDelegation(id: string): Promise<DelegationRow | null> {
    const [row] = await this.manager.query<DelegationRow[]>(`SELECT * FROM approval_delegations WHERE id = $1`, [id]);
    return row ?? null;
  }

  async deleteDelegation(id: string): Promise<void> {
    await this.manager.query(`DELETE FROM approval_delegations WHERE id = $1`, [id]);
  }
}
