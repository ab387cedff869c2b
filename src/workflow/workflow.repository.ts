import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionalRepository } from '../database/transactional.repository';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import type { HumanResponse, WorkflowSummary } from './workflow.types';
import { WorkflowRun } from './workflow-run.entity';

export interface ClaimedRun {
  ticketId: string;
  resume: HumanResponse | null;
  attempts: number;
}

@Injectable()
export class WorkflowRepository extends TransactionalRepository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

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

  /** Stores a human response for the paused run; a waiting run goes back to the queue to apply it. */
  async storeResponse(ticketId: string, response: HumanResponse): Promise<void> {
    await this.manager.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at, resume) VALUES ($1, 'queued', now(), $2)
       ON CONFLICT (ticket_id) DO UPDATE SET
         resume = EXCLUDED.resume,
         state = CASE WHEN workflow_runs.state IN ('waiting', 'done') THEN 'queued' ELSE workflow_runs.state END,
         queued_at = CASE WHEN workflow_runs.state IN ('waiting', 'done') THEN now() ELSE workflow_runs.queued_at END,
         updated_at = now()`,
      [ticketId, JSON.stringify(response)],
    );
  }

  /** Takes up to `limit` queued runs for this instance, oldest first; other instances skip them. */
  async claim(instanceId: string, leaseSeconds: number, limit: number): Promise<ClaimedRun[]> {
    const [rows]: [Array<{ ticket_id: string; resume: HumanResponse | null; attempts: number }>] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'running', locked_by = $1, lease_until = now() + make_interval(secs => $2),
         attempts = attempts + 1, updated_at = now()
       WHERE ticket_id IN (
         SELECT ticket_id FROM workflow_runs WHERE state = 'queued' ORDER BY queued_at, ticket_id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       RETURNING ticket_id, resume, attempts`,
      [instanceId, leaseSeconds, limit],
    );
    return rows.map((row) => ({ ticketId: row.ticket_id, resume: row.resume, attempts: row.attempts }));
  }

  /** Keeps this instance's runs its own for another lease. */
  async renewLeases(instanceId: string, leaseSeconds: number): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET lease_until = now() + make_interval(secs => $2) WHERE locked_by = $1 AND state = 'running'`,
      [instanceId, leaseSeconds],
    );
  }

  /**
   * Ends a run segment: paused runs wait (or go straight back to the queue when a response arrived
   * meanwhile), others are done. The applied response is cleared; a newer one is kept.
   */
  async finish(ticketId: string, instanceId: string, paused: boolean, appliedResponseId: string | null, summary: WorkflowSummary | null): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET
         state = CASE WHEN $3 AND resume IS NOT NULL AND (resume->>'id') IS DISTINCT FROM $4 THEN 'queued'
                      WHEN $3 THEN 'waiting' ELSE 'done' END,
         queued_at = CASE WHEN $3 AND resume IS NOT NULL AND (resume->>'id') IS DISTINCT FROM $4 THEN now() ELSE queued_at END,
         resume = CASE WHEN $3 AND (resume->>'id') IS DISTINCT FROM $4 THEN resume ELSE NULL END,
         summary = COALESCE($5, summary), locked_by = NULL, lease_until = NULL, attempts = 0, updated_at = now()
       WHERE ticket_id = $1 AND locked_by = $2`,
      [ticketId, instanceId, paused, appliedResponseId, summary === null ? null : JSON.stringify(summary)],
    );
  }

  /** Marks a run that has nothing left to do (its ticket was closed) as done. */
  async markDone(ticketId: string, summary: WorkflowSummary | null): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET state = 'done', resume = NULL, summary = COALESCE($2, summary), updated_at = now()
       WHERE ticket_id = $1 AND state <> 'running'`,
      [ticketId, summary === null ? null : JSON.stringify(summary)],
    );
  }

  /** Hands this instance's unfinished runs back to the queue (at shutdown). */
  async release(instanceId: string): Promise<void> {
    await this.manager.query(
      `UPDATE workflow_runs SET state = 'queued', locked_by = NULL, lease_until = NULL, updated_at = now() WHERE locked_by = $1 AND state = 'running'`,
      [instanceId],
    );
  }

  /** Requeues runs whose instance stopped renewing their lease (it died); `all` when no other instance can exist. */
  async requeueAbandoned(all: boolean): Promise<number> {
    const [, count]: [unknown, number] = await this.manager.query(
      `UPDATE workflow_runs SET state = 'queued', locked_by = NULL, lease_until = NULL, updated_at = now()
       WHERE state = 'running' AND ($1 OR lease_until < now())`,
      [all],
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
