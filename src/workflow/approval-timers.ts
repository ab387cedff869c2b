// The workflow's side of the approvals it waits for — it sits above the approvals module and calls down.
// Fires approvals' reminders and expiries that are due, on whichever instance looks first: the request's
// ticket is claimed with SKIP LOCKED, the reminder is counted or the request moved to `expired` by
// compare-and-set in that transaction, and an expiry is stored as the run's response to its interrupt
// (the queue resumes the graph with Command({ resume: { [interrupt_id]: … } })). Timers are rows: they
// survive restarts and crashes, and one missed while every instance was down fires at the next look.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { PollingLoop } from '../common/polling-loop';
import { AppConfig } from '../config/app-config';
import { formatIsoDuration } from '../sla/iso-duration';
import { ApprovalSettledError } from '../approvals/approval-errors';
import type { ApprovalRow } from '../approvals/approvals.repository';
import { ApprovalsService } from '../approvals/approvals.service';
import { NoLongerWaitingError, WorkflowCommands } from './workflow.commands';
import { WorkflowQueue } from './workflow.queue';
import { WorkflowRepository } from './workflow.repository';
import type { HumanResponse } from './workflow.types';

/** Timers fired per look at most: a backlog after an outage is worked off over a few looks. */
const PER_LOOK = 50;

const EXPIRY_OUTCOME = { escalate: 'the ticket goes to the support queue', deny: 'the request is denied', approve: 'the request is approved (its type is marked low-risk)' } as const;

@Injectable()
export class ApprovalTimers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApprovalTimers.name);
  private readonly loop = new PollingLoop(
    () => this.fireDue(),
    (error) => this.logger.warn(`Approval timers: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(
    private readonly config: AppConfig,
    private readonly approvals: ApprovalsService,
    private readonly workflowRepository: WorkflowRepository,
    private readonly commands: WorkflowCommands,
    private readonly queue: WorkflowQueue,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workflow.enabled) this.loop.start(this.config.sla.pollMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** One look: fires what is due now, one request per transaction. */
  tick(): Promise<void> {
    return this.loop.run();
  }

  private async fireDue(): Promise<void> {
    let expired = 0;
    try {
      for (let fired = 0; fired < PER_LOOK; fired += 1) {
        const outcome = await this.fireNext().catch((error: unknown) => {
          if (!(error instanceof ExpiryLost)) throw error;
          this.logger.debug(error.message);
          return 'skipped' as const;
        });
        if (outcome === 'none') break;
        if (outcome === 'expired') expired += 1;
      }
    } finally {
      // The expiries are the runs' responses now: the queue applies them.
      if (expired > 0) this.queue.announceQueuedRuns();
    }
  }

  @Transactional()
  private async fireNext(): Promise<'none' | 'reminded' | 'expired' | 'skipped'> {
    const request = await this.approvals.claimDue();
    if (!request) return 'none';
    const now = new Date();
    if (request.due_at && new Date(request.due_at) <= now) return (await this.expire(request, now)) ? 'expired' : 'skipped';
    return (await this.approvals.remind(request, now)) ? 'reminded' : 'skipped';
  }

  private async expire(request: ApprovalRow, now: Date): Promise<boolean> {
    const run = await this.workflowRepository.findRun(request.ticket_id);
    if (run?.state !== 'waiting' || run.pending?.id !== request.pending_id) {
      // The run no longer waits for it (the ticket was closed by hand): the request is over, nothing to apply.
      await this.approvals.close(request);
      return false;
    }
    const waited = formatIsoDuration(Math.max(0, Math.round((new Date(request.due_at!).getTime() - new Date(request.requested_at).getTime()) / 1000)));
    const response: HumanResponse = {
      id: randomUUID(),
      pending_id: request.pending_id,
      source: 'workflow',
      kind: 'approval',
      answer: null,
      approval: request.on_expiry === 'approve' ? true : request.on_expiry === 'deny' ? false : null,
      comments: `no decision within the approval's due time (requested ${new Date(request.requested_at).toISOString()}, due ${new Date(request.due_at!).toISOString()}, ${waited} apart): ${EXPIRY_OUTCOME[request.on_expiry]}`,
      responder_id: null,
      responder_employee_id: null,
      responded_at: now.toISOString(),
      expiry: request.on_expiry,
    };
    await this.approvals.announceExpiry(request, now);
    try {
      await this.commands.recordHumanResponse(request.ticket_id, response);
    } catch (error) {
      // A person decided first: their decision stands (the whole transaction, event included, rolls back).
      if (error instanceof ApprovalSettledError || error instanceof NoLongerWaitingError) throw new ExpiryLost(request.id);
      throw error;
    }
    return true;
  }
}

class ExpiryLost extends Error {
  constructor(approvalId: string) {
    super(`approval ${approvalId} was decided before its expiry was applied`);
  }
}
