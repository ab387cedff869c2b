// What people do with the workflow: file a request, answer or approve (POST /hil), follow its state.
// New tickets reach it through the `ticket.created` signal, whichever endpoint created them.
import { BadRequestException, ConflictException, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { TICKET_CREATED, TICKET_UPDATED, TicketCreatedSignal, TicketEventType, TicketUpdatedSignal } from '../tickets/ticket-events';
import { FINAL_STATUSES } from '../tickets/ticket-transitions';
import { TicketStatus } from '../tickets/ticket.enums';
import { isStaff, TicketsService } from '../tickets/tickets.service';
import { CreateRequestDto } from './dto/create-request.dto';
import { HilResponseDto } from './dto/hil.dto';
import { mapWorkflowResponse, WorkflowResponseDto } from './dto/workflow-response.dto';
import { mapWorkflowState, WorkflowStateDto } from './dto/workflow-state.dto';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowQueue } from './workflow.queue';
import { WorkflowRepository } from './workflow.repository';
import type { HumanResponse } from './workflow.types';

/** Statuses in which the workflow is (about to be) running, not waiting for anyone. */
const RUNNING: readonly TicketStatus[] = [TicketStatus.Pending, TicketStatus.InProgress];
const POLL_MS = 25;

@Injectable()
export class WorkflowService {
  private readonly logger = new Logger(WorkflowService.name);

  constructor(
    private readonly ticketsService: TicketsService,
    private readonly workflowRepository: WorkflowRepository,
    private readonly queue: WorkflowQueue,
    private readonly engine: WorkflowEngine,
    private readonly config: AppConfig,
  ) {}

  /** Seed 000's POST /request: files the ticket and starts its workflow without waiting for it. */
  async createRequest(user: AuthUser, dto: CreateRequestDto, wait: boolean): Promise<WorkflowResponseDto> {
    const { employee_id: employeeId, ...fields } = dto;
    if (employeeId !== undefined && employeeId !== user.employeeId) {
      throw new BadRequestException(`employee_id must be your own (${user.employeeId}): requests are filed for the signed-in user`);
    }
    const ticket = await this.ticketsService.create(user, fields);
    const queued = await this.enqueue(ticket.ticket_id);
    if (wait) return mapWorkflowResponse(await this.waitWhileRunning(ticket.ticket_id, this.config.workflow.timeoutMs, true));
    return { ...mapWorkflowResponse(ticket), next_action: queued ? 'queued' : 'workflow_starting' };
  }

  /** Seed 000's POST /hil: applies a person's answer or approval to the paused workflow and resumes it. */
  async respond(user: AuthUser, ticketId: string, dto: HilResponseDto, wait: boolean): Promise<WorkflowResponseDto> {
    let ticket = await this.ticketsService.get(user, ticketId);
    if (dto.approver_id !== undefined && dto.approver_id !== user.employeeId && dto.approver_id !== user.id) {
      throw new BadRequestException(`approver_id must be your own employee id (${user.employeeId}): the approver recorded is the signed-in user`);
    }
    // Seed 000's client answers right after filing: give a running workflow a moment to pause.
    if (RUNNING.includes(ticket.status)) ticket = await this.waitWhileRunning(ticketId, this.config.workflow.hilWaitMs);
    const response = this.toResponse(user, ticket, dto);
    const updated = await this.ticketsService.applyChanges(
      ticketId,
      user.id,
      { status: TicketStatus.InProgress, decision: response.kind === 'approval' ? (response.approval ? 'approved' : 'denied') : 'pending' },
      undefined,
      {
        requireStatus: { status: ticket.status, otherwise: 'conflict' },
        event: {
          type: TicketEventType.HilResponse,
          payload: {
            kind: response.kind,
            approval: response.approval,
            approver_id: response.kind === 'approval' ? response.responder_employee_id : null,
            answer: response.answer,
            comments: response.comments,
            responder_id: response.responder_id,
            responder_employee_id: response.responder_employee_id,
          },
        },
        // The response is stored with the status change: once POST /hil answers, it will be applied.
        within: async (join) => join(this.workflowRepository).storeResponse(ticketId, response),
        note: { step: response.kind === 'approval' ? 'approval' : 'ask_user' },
      },
    );
    this.queue.kick();
    return mapWorkflowResponse(wait ? await this.waitWhileRunning(ticketId, this.config.workflow.timeoutMs, true) : updated);
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
    await this.enqueue(ticketId).catch((error) => this.logger.warn(`Could not queue the workflow of ticket ${ticketId}: ${String(error)}`));
  }

  /** Support closed a ticket by hand: its workflow ends cleanly, with no question left to answer. */
  @OnEvent(TICKET_UPDATED, { async: true, promisify: true })
  async onTicketUpdated({ ticketId, status, actorId }: TicketUpdatedSignal): Promise<void> {
    if (actorId === null || !FINAL_STATUSES.includes(status as TicketStatus)) return;
    try {
      const run = await this.workflowRepository.findRun(ticketId);
      // A running segment finds the ticket closed at its next step and ends there.
      if (!run || run.state === 'running' || run.state === 'done') return;
      await this.queue.closeRun(ticketId, status, actorId);
    } catch (error) {
      this.logger.warn(`Could not end the workflow of closed ticket ${ticketId}: ${String(error)}`);
    }
  }

  /** Queues the ticket's run; true when it has to wait for a free slot (next_action `queued`). */
  private async enqueue(ticketId: string): Promise<boolean> {
    await this.workflowRepository.enqueue(ticketId);
    this.queue.kick();
    // An intake-only instance leaves the run to the instances that run workflows: nothing to say yet.
    if (!this.queue.runsHere || this.queue.hasFreeSlot()) return false;
    await this.ticketsService.applyChanges(ticketId, null, { nextAction: 'queued' }, undefined, {
      requireStatus: { status: TicketStatus.Pending, otherwise: 'skip' },
      note: { step: 'queued' },
    });
    return true;
  }

  private toResponse(user: AuthUser, ticket: TicketDto, dto: HilResponseDto): HumanResponse {
    const base = { id: randomUUID(), comments: dto.comments ?? null, responder_id: user.id, responder_employee_id: user.employeeId, responded_at: new Date().toISOString() };
    switch (ticket.status) {
      case TicketStatus.WaitingForUser:
        if (dto.approval !== undefined) throw new BadRequestException('This ticket waits for an answer from its requester, not an approval: send `answer`');
        if (dto.answer === undefined) throw new BadRequestException('This ticket waits for an answer from its requester: send `answer`');
        return { ...base, kind: 'answer', answer: dto.answer, approval: null };
      case TicketStatus.WaitingForApproval:
        if (dto.approval === undefined) throw new BadRequestException('This ticket waits for an approval: send `approval` (true or false)');
        if (!isStaff(user)) throw new ForbiddenException('Only support and admin can approve or deny a request');
        if (ticket.requester_id === user.id) throw new ForbiddenException('Nobody may approve or deny their own request (segregation of duties)');
        return { ...base, kind: 'approval', answer: dto.answer ?? null, approval: dto.approval };
      case TicketStatus.Pending:
      case TicketStatus.InProgress:
        throw new ConflictException(`The workflow of this ticket is still running (status ${ticket.status}); try again in a moment`);
      default:
        throw new ConflictException(`This ticket is ${ticket.status}: it is not waiting for a person`);
    }
  }

  /**
   * The ticket once its workflow has paused or ended, or as it is after `limitMs`. With `settled`, also
   * until its run segment has finished, so that what GET /workflow shows next is the paused run.
   */
  private async waitWhileRunning(ticketId: string, limitMs: number, settled = false): Promise<TicketDto> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const ticket = await this.ticketsService.findById(ticketId);
      if (!ticket) throw new Error(`Ticket ${ticketId} vanished`);
      const paused = !RUNNING.includes(ticket.status) && (!settled || (await this.runHasSettled(ticketId)));
      if (paused || Date.now() >= deadline) return ticket;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async runHasSettled(ticketId: string): Promise<boolean> {
    const run = await this.workflowRepository.findRun(ticketId);
    return !run || run.state === 'waiting' || run.state === 'done';
  }
}
