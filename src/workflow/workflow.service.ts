// What people do with the workflow: file a request, answer or approve (POST /hil), ask the requester or
// retry (support), follow its state. Whether a person may answer is decided by what the run waits for —
// the run row's pending request — never by the ticket's status. New tickets reach the workflow through
// the `ticket.created` signal, whichever endpoint created them.
import { BadRequestException, ConflictException, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { TICKET_CREATED, TICKET_UPDATED, TicketCreatedSignal, TicketUpdatedSignal } from '../tickets/ticket-signals';
import { assertNotOwnRequest } from '../tickets/decision-rights';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TicketStatus } from '../tickets/ticket.enums';
import { isStaff, TicketsService } from '../tickets/tickets.service';
import { CreateRequestDto } from './dto/create-request.dto';
import { HilResponseDto } from './dto/hil.dto';
import { mapWorkflowResponse, WorkflowResponseDto } from './dto/workflow-response.dto';
import { mapWorkflowState, WorkflowStateDto } from './dto/workflow-state.dto';
import { isBusy, RunWaiter } from './run-waiter';
import { WorkflowCommands } from './workflow.commands';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowQueue } from './workflow.queue';
import { WorkflowRepository } from './workflow.repository';
import type { HumanResponse, PendingRequest } from './workflow.types';

/** More tickets than POST /request files between a commit and its signal; only marks left by rolled-back requests reach it. */
const MAX_QUEUED_BY_REQUEST = 10_000;

@Injectable()
export class WorkflowService {
  private readonly logger = new Logger(WorkflowService.name);
  /**
   * Tickets POST /request queued itself (in its own transaction, so that `?wait` and an Idempotency-Key find
   * the run): their `ticket.created` signal, which arrives after the commit, has nothing left to queue.
   */
  private readonly queuedByRequest = new Set<string>();

  constructor(
    private readonly ticketsService: TicketsService,
    private readonly ticketWriter: TicketWriter,
    private readonly workflowRepository: WorkflowRepository,
    private readonly commands: WorkflowCommands,
    private readonly queue: WorkflowQueue,
    private readonly engine: WorkflowEngine,
    private readonly waiter: RunWaiter,
    private readonly config: AppConfig,
  ) {}

  /** The Local IT Support API's POST /request: files the ticket and starts its workflow without waiting for it. */
  async createRequest(user: AuthUser, dto: CreateRequestDto, wait: boolean, clientGone?: AbortSignal): Promise<WorkflowResponseDto> {
    const { employee_id: employeeId, ...fields } = dto;
    if (employeeId !== undefined && employeeId !== user.employeeId) {
      throw new BadRequestException(`employee_id must be your own (${user.employeeId}): requests are filed for the signed-in user`);
    }
    const ticket = await this.ticketsService.create(user, fields);
    if (!this.config.workflow.enabled) return mapWorkflowResponse(ticket);
    this.markQueuedByRequest(ticket.ticket_id);
    const queued = await this.enqueue(ticket.ticket_id);
    if (wait) return this.settledResponse(ticket.ticket_id, clientGone, true);
    return { ...mapWorkflowResponse(ticket), next_action: queued ? 'queued' : 'workflow_starting' };
  }

  /** The Local IT Support API's POST /hil: answers or approves what the run waits for, and resumes it. */
  async respond(user: AuthUser, ticketId: string, dto: HilResponseDto, wait: boolean, clientGone?: AbortSignal): Promise<WorkflowResponseDto> {
    const ticket = await this.ticketsService.get(user, ticketId);
    if (dto.approver_id !== undefined && dto.approver_id !== user.employeeId && dto.approver_id !== user.id) {
      throw new BadRequestException(`approver_id must be your own employee id (${user.employeeId}): the approver recorded is the signed-in user`);
    }
    let run = await this.workflowRepository.findRun(ticketId);
    // A client that answers right after filing: give a running workflow a moment to pause.
    if (isBusy(run)) run = await this.waiter.untilSettled(ticketId, this.config.workflow.hilWaitMs, clientGone);
    if (!run?.pending) {
      if (isBusy(run)) throw new ConflictException(`The workflow of this ticket is still running (status ${ticket.status}); try again in a moment`);
      const hint = ticket.status === TicketStatus.Escalated || ticket.status === TicketStatus.InProgress ? `; support can ask the requester with POST /api/v1/workflow/${ticketId}/ask` : '';
      throw new ConflictException(`This ticket is ${ticket.status}: it is not waiting for a person${hint}`);
    }
    const response = this.toResponse(user, ticket, run.pending, dto);
    if (dto.plan_hash !== undefined && response.kind !== 'approval') throw new BadRequestException('plan_hash belongs to an approval; this ticket waits for an answer');
    const updated = await this.commands.recordHumanResponse(ticketId, response, dto.plan_hash?.toLowerCase(), ticket);
    this.queue.announceQueuedRuns();
    return wait ? this.settledResponse(ticketId, clientGone, true) : mapWorkflowResponse(updated);
  }

  /** Support asks the requester on a ticket people work on; the answer through POST /hil resumes the assistant. */
  async ask(user: AuthUser, ticketId: string, question: string): Promise<WorkflowResponseDto> {
    await this.ticketsService.assertVisible(user, ticketId);
    return mapWorkflowResponse(await this.commands.askRequester(ticketId, user, question));
  }

  /** Support lets the assistant try again: after a failure, or on an escalated ticket once the knowledge base changed. */
  async retry(user: AuthUser, ticketId: string): Promise<WorkflowResponseDto> {
    await this.ticketsService.assertVisible(user, ticketId);
    const ticket = await this.commands.retry(ticketId, user);
    this.queue.announceQueuedRuns();
    return mapWorkflowResponse(ticket);
  }

  /** GET /workflow/{id}: the run as the ticket's viewers may follow it. */
  async getState(user: AuthUser, ticketId: string): Promise<WorkflowStateDto> {
    const ticket = await this.ticketsService.get(user, ticketId);
    const run = await this.workflowRepository.findRun(ticketId);
    const summary = (await this.engine.describe(ticketId)) ?? run?.summary ?? null;
    return mapWorkflowState(ticket, run, summary);
  }

  @OnEvent(TICKET_CREATED, { async: true, promisify: true })
  async onTicketCreated({ ticketId }: TicketCreatedSignal): Promise<void> {
    if (!this.config.workflow.enabled || this.queuedByRequest.delete(ticketId)) return;
    await this.enqueue(ticketId).catch((error) => this.logger.warn(`Could not queue the workflow of ticket ${ticketId}: ${String(error)}`));
  }

  /**
   * Support closed a ticket by hand, or a major incident took it over: its workflow ends cleanly, with no
   * question left to answer (the workflow's own closing steps end their run themselves).
   */
  @OnEvent(TICKET_UPDATED, { async: true, promisify: true })
  async onTicketUpdated({ ticketId, status, actorId, decision }: TicketUpdatedSignal): Promise<void> {
    if ((actorId === null && decision !== 'incident') || !FINAL_STATUSES.includes(status as TicketStatus)) return;
    try {
      const run = await this.workflowRepository.findRun(ticketId);
      // A running segment finds the ticket closed at its next step and ends there.
      if (!run || run.state === 'running' || run.state === 'done') return;
      await this.queue.closeRun(ticketId, status, actorId);
    } catch (error) {
      this.logger.warn(`Could not end the workflow of closed ticket ${ticketId}: ${String(error)}`);
    }
  }


  private markQueuedByRequest(ticketId: string): void {
    this.queuedByRequest.add(ticketId);
    // A request whose transaction rolled back never signals its ticket: the oldest marks go, never the set's bound.
    if (this.queuedByRequest.size > MAX_QUEUED_BY_REQUEST) this.queuedByRequest.delete(this.queuedByRequest.values().next().value!);
  }

  /** Queues the ticket's run; true when it has to wait for a free slot (next_action `queued`). */
  private async enqueue(ticketId: string): Promise<boolean> {
    await this.workflowRepository.enqueue(ticketId);
    this.queue.announceQueuedRuns();
    // An intake-only instance leaves the run to the instances that run workflows: nothing to say yet.
    if (!this.queue.runsHere || this.queue.hasFreeSlot()) return false;
    await this.ticketWriter.recordWorkflowStep(ticketId, { nextAction: 'queued' }, { note: { step: 'queued' }, onlyIfStatus: TicketStatus.Pending });
    return true;
  }

  /**
   * `?wait=true`: the ticket once its run has paused or ended (or WORKFLOW_TIMEOUT passed, or the client
   * left) — as the segment that settled it here left it, or as read; null if it is gone.
   */
  async settledTicket(ticketId: string, clientGone?: AbortSignal, queuedNow = false): Promise<TicketDto | null> {
    const leftBySegment = await this.waiter.untilSettledTicket(ticketId, this.config.workflow.timeoutMs, clientGone, queuedNow);
    return leftBySegment ?? this.ticketsService.findById(ticketId);
  }

  /** `queuedNow`: the caller has just queued the run. */
  private async settledResponse(ticketId: string, clientGone?: AbortSignal, queuedNow = false): Promise<WorkflowResponseDto> {
    const ticket = await this.settledTicket(ticketId, clientGone, queuedNow);
    if (!ticket) throw new Error(`Ticket ${ticketId} vanished`);
    return mapWorkflowResponse(ticket);
  }

  private toResponse(user: AuthUser, ticket: TicketDto, pending: PendingRequest, dto: HilResponseDto): HumanResponse {
    const base = {
      id: randomUUID(),
      pending_id: pending.id,
      source: pending.source,
      comments: dto.comments ?? null,
      responder_id: user.id,
      responder_employee_id: user.employeeId,
      responder_name: user.fullName,
      responded_at: new Date().toISOString(),
    };
    if (pending.kind === 'question') {
      if (dto.approval !== undefined) {
        const fix = dto.answer === undefined ? 'send `answer` instead of `approval`' : 'leave out `approval` (your `answer` is what it waits for)';
        throw new BadRequestException(`This ticket waits for an answer from its requester, not an approval: ${fix}`);
      }
      if (dto.answer === undefined) throw new BadRequestException('This ticket waits for an answer from its requester: send `answer`');
      return { ...base, kind: 'answer', answer: dto.answer, approval: null };
    }
    if (dto.approval === undefined) throw new BadRequestException('This ticket waits for an approval: send `approval` (true or false)');
    if (!isStaff(user)) throw new ForbiddenException('Only support and admin can approve or deny a request');
    assertNotOwnRequest({ id: ticket.ticket_id, requesterId: ticket.requester_id }, user.id, 'approve or deny');
    // The requester reads why: a denial without a reason leaves them nowhere to go.
    if (dto.approval === false && !(dto.comments ?? dto.answer)?.trim()) {
      throw new BadRequestException('Say why you deny the request: send `comments` with the reason; the requester reads it');
    }
    return { ...base, kind: 'approval', answer: dto.answer ?? null, approval: dto.approval };
  }
}
