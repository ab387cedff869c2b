// Every change the workflow makes, as one transaction over the run, the ticket, its events and comments.
// Locks are taken in one order everywhere — the ticket's row, then the run's — so commands never deadlock.
import { ConflictException, Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { ApprovalsService } from '../approvals/approvals.service';
import { DomainError } from '../common/domain-error';
import type { AuthUser } from '../auth/auth-user';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { StaleClaimError } from '../tickets/ticket-errors';
import { TicketChanges, TicketWriter } from '../tickets/ticket-writer.service';
import { TicketStatus } from '../tickets/ticket.enums';
import type { StepClaim } from './support.graph';
import { ClaimedRun, WorkflowRepository } from './workflow.repository';
import type { HumanResponse, PendingRequest, WorkflowSummary } from './workflow.types';

export type Claim = Pick<ClaimedRun, 'ticketId' | 'fence'>;

/** What a person answered was answered (or its ticket closed) a moment before. */
export class NoLongerWaitingError extends DomainError {
  readonly code = 'no_longer_waiting';
  constructor() {
    super('This ticket no longer waits for that: it was answered or closed a moment ago');
  }
}

/** Where support may ask the requester something: tickets people work on, not ones the workflow holds. */
const ASKABLE: readonly TicketStatus[] = [TicketStatus.Escalated, TicketStatus.InProgress];
/** Where support may let the assistant try again. */
// A denied request is retried to plan it again and ask for a new approval (the only way it can be resolved).
const RETRYABLE: readonly TicketStatus[] = [TicketStatus.Error, TicketStatus.Escalated, TicketStatus.Denied];

@Injectable()
export class WorkflowCommands {
  constructor(
    private readonly ticketWriter: TicketWriter,
    private readonly workflowRepository: WorkflowRepository,
    private readonly approvals: ApprovalsService,
  ) {}

  /**
   * A run segment ends: paused for `pending`, or done. A pause for an approval raises its request with it,
   * in one transaction; any other end is the run's row alone, one statement. False when the claim is stale.
   */
  finishSegment(claim: Claim, pending: PendingRequest | null, summary: WorkflowSummary | null): Promise<boolean> {
    if (pending?.kind === 'approval') return this.finishWithApprovalRequest(claim, pending, summary);
    return this.workflowRepository.finish(claim, pending, summary);
  }

  @Transactional()
  private async finishWithApprovalRequest(claim: Claim, pending: PendingRequest, summary: WorkflowSummary | null): Promise<boolean> {
    // The request's event joins the ticket's trail: the ticket's lock first, as everywhere.
    const ticket = await this.ticketWriter.lockTicket(claim.ticketId);
    if (!(await this.workflowRepository.finish(claim, pending, summary))) return false;
    await this.approvals.requested(ticket, pending.id, summary?.plan?.steps ?? []);
    return true;
  }

  /** A step of a run segment changes the ticket, under the segment's claim; returns the ticket as written, for the segment's next steps. */
  recordStep(step: StepClaim, changes: TicketChanges, note: { step: string; rule?: string }, comment?: string): Promise<TicketDto> {
    return this.ticketWriter.recordWorkflowStep(step.ticketId, changes, { note, comment, claimFence: step.fence, known: step.known });
  }

  /**
   * A run segment failed: the ticket goes to `error` (unless a person closed it) and the run ends. `detail`
   * (a model's or the database's message) is for support only; the requester is told it in plain words.
   */
  @Transactional()
  async recordFailure(claim: Claim, detail: string, summary: WorkflowSummary | null): Promise<void> {
    await this.ticketWriter.recordWorkflowError(claim.ticketId, detail);
    if (!(await this.workflowRepository.finish(claim, null, summary))) throw new StaleClaimError(claim.ticketId);
  }

  /**
   * A person answered or approved what the run waits for — or an approval expired: stored with the ticket's
   * change, applied by the queue. An approval first settles its request (compare-and-set, after the ticket's
   * lock, so a decision and an expiry take turns): the second of two gets a 409 and nothing is written.
   * `known`: the ticket as the responder read it, which saves the lock's read while it is still that.
   */
  @Transactional()
  async recordHumanResponse(ticketId: string, response: HumanResponse, planHash?: string, known?: TicketDto): Promise<TicketDto> {
    const ticket = await this.ticketWriter.recordHumanResponse(
      ticketId,
      {
        kind: response.kind,
        approval: response.approval,
        answer: response.answer,
        comments: response.comments,
        responderId: response.responder_id,
        responderEmployeeId: response.responder_employee_id,
        expired: Boolean(response.expiry),
      },
      { step: response.kind === 'approval' ? 'approval' : 'ask_user' },
      known,
    );
    if (response.kind === 'approval') {
      const decision = { pendingId: response.pending_id, approval: response.approval, responderId: response.responder_id, expired: Boolean(response.expiry) };
      // The ticket as just written under its lock: the plan is checked against it without reading it again.
      await this.approvals.settle(ticketId, decision, planHash, ticket);
    }
    if (!(await this.workflowRepository.answerPending(ticketId, response.pending_id, response))) {
      throw new NoLongerWaitingError();
    }
    return ticket;
  }

  /** POST /workflow/{id}/ask: support asks the requester on a ticket the workflow is not holding. */
  @Transactional()
  async askRequester(ticketId: string, asker: AuthUser, question: string): Promise<TicketDto> {
    const ticket = await this.ticketWriter.recordStaffQuestion(ticketId, asker.id, question, ASKABLE);
    const pending: PendingRequest = { id: randomUUID(), kind: 'question', question, rule: 'support_question', source: 'staff', asked_by: asker.id };
    if (!(await this.workflowRepository.waitForStaffQuestion(ticketId, pending))) throw workflowHolds(ticketId, 'ask');
    return ticket;
  }

  /** POST /workflow/{id}/retry: the run is queued again and resumes from its last checkpoint. */
  @Transactional()
  async retry(ticketId: string, actor: AuthUser): Promise<TicketDto> {
    const ticket = await this.ticketWriter.recordRetry(ticketId, actor.id, RETRYABLE);
    if (!(await this.workflowRepository.queueRetry(ticketId))) throw workflowHolds(ticketId, 'retry');
    return ticket;
  }
}

function workflowHolds(ticketId: string, command: string): ConflictException {
  return new ConflictException(
    `The workflow still holds ticket ${ticketId} (queued, running or waiting for a person), so it cannot ${command} now: ` +
      `answer what it waits for with POST /api/v1/hil/${ticketId}, or close the ticket`,
  );
}
