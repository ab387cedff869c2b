import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import type { HumanResponse, PendingRequest, WorkflowSummary } from './workflow.types';
import { RunState, WorkflowRun } from './workflow-run.entity';

/** A run this instance claimed: its writes carry `fence`, and are refused once another claim superseded it. */
export interface ClaimedRun {
  ticketId: string;
  fence: number;
  resume: HumanResponse | null;
  attempts: number;
}

/** Runs that hold their ticket: the workflow is about to run, running, or waiting for a person. */
export const HELD_STATES: readonly RunState[] = ['queued', 'running', 'waiting'];

@Injectable()
export class WorkflowRepository extends TransactionalRepository {
  findRun(ticketId: string): Promise<WorkflowRun | null> {
    return this.manager.findOneBy(WorkflowRun, { ticketId });
  }

  /** Queues a new ticket's run; a ticket already queued (or run) is left as it is. */
  async enqueue(ticketId: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at) VALUES ($1, 'queued', now()) ON CONFLICT (ticket_id) DO NOTHING`,
      [ticketId],
    );
  }

  /**
   * Takes what the run waits for and stores the response that answers it: the run goes back to the queue
   * to apply it. False when the run no longer waits for `pendingId` (answered a moment ago, or closed).
   */
  async answerPending(ticketId: string, pendingId: string, response: HumanResponse): Promise<boolean> {
    const [rows]: [unknown[]] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'queued', queued_at = now(), resume = $3, pending = NULL, attempts = 0, updated_at = now()
       WHERE ticket_id = $1 AND state = 'waiting' AND pending->>'id' = $2 RETURNING ticket_id`,
      [ticketId, pendingId, JSON.stringify(response)],
    );
    return rows.length > 0;
  }

  /** A question from support on a ticket the workflow is not holding: the run waits for the requester. */
  async waitForStaffQuestion(ticketId: string, pending: PendingRequest): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at, pending) VALUES ($1, 'waiting', now(), $2)
       ON CONFLICT (ticket_id) DO UPDATE SET state = 'waiting', pending = EXCLUDED.pending, resume = NULL, attempts = 0, updated_at = now()
       WHERE workflow_runs.state = 'done'
       RETURNING ticket_id`,
      [ticketId, JSON.stringify(pending)],
    );
    return rows.length > 0;
  }

  /** Queues a run that ended (failed, or escalated) once more; false while the workflow still holds it. */
  async queueRetry(ticketId: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at) VALUES ($1, 'queued', now())
       ON CONFLICT (ticket_id) DO UPDATE SET state = 'queued', queued_at = now(), resume = NULL, pending = NULL, attempts = 0, updated_at = now()
       WHERE workflow_runs.state = 'done'
       RETURNING ticket_id`,
      [ticketId],
    );
    return rows.length > 0;
  }

  /**
   * Takes up to `limit` queued runs for this instance, oldest first; other instances skip them. Each claim
   * raises the run's fence. `skip` lists the tickets this instance runs already (never launched twice).
   */
  async claim(instanceId: string, leaseSeconds: number, limit: number, skip: string[]): Promise<ClaimedRun[]> {
    const [rows]: [Array<{ ticket_id: string; fence: string; resume: HumanResponse | null; attempts: number }>] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'running', locked_by = $1, lease_until = now() + make_interval(secs => $2),
         attempts = attempts + 1, fence = fence + 1, updated_at = now()
       WHERE ticket_id IN (
         SELECT ticket_id FROM workflow_runs WHERE state = 'queued' AND NOT (ticket_id = ANY($4::uuid[]))
         ORDER BY queued_at, ticket_id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       RETURNING ticket_id, fence, resume, attempts`,
      [instanceId, leaseSeconds, limit, skip],
    );
    return rows.map((row) => ({ ticketId: row.ticket_id, fence: Number(row.fence), resume: row.resume, attempts: row.attempts }));
  }

  /** Keeps the runs this instance is executing its own for another lease (never a superseded claim). */
  async renewLeases(instanceId: string, leaseSeconds: number, claims: Array<Pick<ClaimedRun, 'ticketId' | 'fence'>>): Promise<void> {
    if (claims.length === 0) return;
    await this.manager.query(
      `UPDATE workflow_runs run SET lease_until = now() + make_interval(secs => $2)
       FROM unnest($3::uuid[], $4::bigint[]) AS claim(ticket_id, fence)
       WHERE run.ticket_id = claim.ticket_id AND run.fence = claim.fence AND run.locked_by = $1 AND run.state = 'running'`,
      [instanceId, leaseSeconds, claims.map((claim) => claim.ticketId), claims.map((claim) => claim.fence)],
    );
  }

  /**
   * Ends a run segment under its claim: a paused run waits for `pending`, others are done; the applied
   * response is cleared. False when the claim was superseded (nothing is written).
   */
  async finish(claim: Pick<ClaimedRun, 'ticketId' | 'fence'>, pending: PendingRequest | null, summary: WorkflowSummary | null): Promise<boolean> {
    const [rows]: [unknown[]] = await this.manager.query(
      `UPDATE workflow_runs SET state = CASE WHEN $3::jsonb IS NULL THEN 'done' ELSE 'waiting' END, pending = $3::jsonb, resume = NULL,
         summary = COALESCE($4::jsonb, summary), locked_by = NULL, lease_until = NULL, attempts = 0, updated_at = now()
       WHERE ticket_id = $1 AND fence = $2 AND state = 'running'
       RETURNING ticket_id`,
      [claim.ticketId, claim.fence, pending === null ? null : JSON.stringify(pending), summary === null ? null : JSON.stringify(summary)],
    );
    return rows.length > 0;
  }

  /** Marks a run that has nothing left to do (its ticket was closed) as done. */
  async markDone(ticketId: string, summary: WorkflowSummary | null): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET state = 'done', resume = NULL, pending = NULL, summary = COALESCE($2, summary), updated_at = now()
       WHERE ticket_id = $1 AND state <> 'running'`,
      [ticketId, summary === null ? null : JSON.stringify(summary)],
    );
  }

  /** Hands this instance's unfinished runs back to the queue (at shutdown); how many. */
  async release(instanceId: string): Promise<number> {
    const [, count]: [unknown, number] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'queued', locked_by = NULL, lease_until = NULL, updated_at = now() WHERE locked_by = $1 AND state = 'running'`,
      [instanceId],
    );
    return count;
  }

  /**
   * Requeues runs whose instance stopped renewing their lease (it died); `all` when no other instance can
   * exist. `executing` are this instance's own runs in progress: never requeued under its feet.
   */
  async requeueAbandoned(all: boolean, executing: string[]): Promise<number> {
    const [, count]: [unknown, number] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'queued', locked_by = NULL, lease_until = NULL, updated_at = now()
       WHERE state = 'running' AND ($1 OR lease_until < now()) AND NOT (ticket_id = ANY($2::uuid[]))`,
      [all, executing],
    );
    return count;
  }

  /** Queues pending tickets that have no run (their creator stopped before queueing them). */
  async adoptOrphans(olderThanSeconds: number): Promise<number> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at)
       SELECT t.id, 'queued', t.created_at FROM tickets t
       WHERE t.status = 'pending' AND t.created_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.ticket_id = t.id)
       ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id`,
      [olderThanSeconds],
    );
    return rows.length;
  }

  /** How many runs wait in the queue and how long the oldest has waited, and how many run now (on any instance). */
  async queueStats(): Promise<{ waiting: number; oldestWaitSeconds: number | null; running: number }> {
    const [row]: Array<{ waiting: string; oldest: string | null; running: string }> = await this.manager.query(
      `SELECT count(*) FILTER (WHERE state = 'queued') AS waiting,
              EXTRACT(EPOCH FROM now() - min(queued_at) FILTER (WHERE state = 'queued')) AS oldest,
              count(*) FILTER (WHERE state = 'running') AS running
         FROM workflow_runs WHERE state IN ('queued', 'running')`,
    );
    return { waiting: Number(row.waiting), oldestWaitSeconds: row.oldest === null ? null : Math.round(Number(row.oldest) * 10) / 10, running: Number(row.running) };
  }

  /** Finished runs of tickets closed before `cutoff` whose checkpoints are still kept. */
  async findPrunable(cutoff: Date, limit: number): Promise<string[]> {
    const rows: Array<{ ticket_id: string }> = await this.manager.query(
      `SELECT r.ticket_id FROM workflow_runs r JOIN tickets t ON t.id = r.ticket_id
       WHERE r.state = 'done' AND r.checkpoints_pruned_at IS NULL AND t.status = ANY($1::ticket_status[]) AND t.updated_at < $2
       ORDER BY t.updated_at LIMIT $3`,
      [[...FINAL_STATUSES, 'error'], cutoff, limit],
    );
    return rows.map((row) => row.ticket_id);
  }

  async markPruned(ticketId: string, summary: WorkflowSummary | null): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET checkpoints_pruned_at = now(), summary = COALESCE($2, summary) WHERE ticket_id = $1`,
      [ticketId, summary === null ? null : JSON.stringify(summary)],
    );
  }
}
