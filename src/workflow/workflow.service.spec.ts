import { HttpException, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { TicketEventType } from '../tickets/ticket-events';
import { NEXT_ACTION } from '../tickets/ticket-transitions';
import { RequestType, TicketStatus } from '../tickets/ticket.enums';
import { ChangeExtras, isStaff, TicketChanges, TicketsService, Viewer } from '../tickets/tickets.service';
import { Role } from '../users/role.enum';
import { CreateRequestDto } from './dto/create-request.dto';
import { HilResponseDto } from './dto/hil.dto';
import type { RunState, WorkflowRun } from './workflow-run.entity';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowQueue } from './workflow.queue';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowService } from './workflow.service';
import type { WorkflowSummary } from './workflow.types';

/** Tickets as TicketsService shows them; a ticket's workflow can be scripted to move on as it is polled. */
class FakeTicketsService {
  readonly tickets = new Map<string, TicketDto>();
  /** Statuses a ticket takes, one per findById call, as if its workflow ran meanwhile. */
  readonly script = new Map<string, TicketStatus[]>();

  get = jest.fn(async (viewer: Viewer, ticketId: string) => {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || !(isStaff(viewer) || ticket.requester_id === viewer.id)) throw new NotFoundException(`Ticket ${ticketId} not found`);
    return { ...ticket };
  });
  findById = jest.fn(async (ticketId: string) => {
    const next = this.script.get(ticketId)?.shift();
    if (next) this.tickets.get(ticketId)!.status = next;
    return this.tickets.has(ticketId) ? { ...this.tickets.get(ticketId)! } : null;
  });
  create = jest.fn(async (requester: Viewer, fields: Omit<CreateRequestDto, 'employee_id'>) =>
    ({ ...this.add({ requester_id: requester.id, employee_id: requester.employeeId, title: fields.title, description: fields.description }) }));
  applyChanges = jest.fn(async (ticketId: string, _actorId: string | null, changes: TicketChanges, _comment?: string, extras: ChangeExtras = {}) => {
    const ticket = this.tickets.get(ticketId)!;
    await extras.within?.((repository) => repository);
    if (changes.status) Object.assign(ticket, { status: changes.status, next_action: NEXT_ACTION[changes.status] });
    if (changes.decision) ticket.decision = changes.decision;
    if (changes.nextAction) ticket.next_action = changes.nextAction;
    return { ...ticket };
  });

  add(fields: Partial<TicketDto> = {}): TicketDto {
    const ticket = { ticket_id: randomUUID(), title: 'Admin access', description: 'I need admin access to the CRM for the audit',
      request_type: RequestType.SoftwareAccess, status: TicketStatus.Pending, decision: 'pending', plan_summary: null, next_action: 'workflow_starting',
      requester_id: randomUUID(), employee_id: 'EMP001', ...fields } as TicketDto;
    this.tickets.set(ticket.ticket_id, ticket);
    return ticket;
  }
}

class FakeWorkflowRepository {
  readonly runs = new Map<string, Pick<WorkflowRun, 'ticketId' | 'state'>>();

  findRun = jest.fn(async (ticketId: string) => this.runs.get(ticketId) ?? null);
  enqueue = jest.fn(async (_ticketId: string) => undefined);
  storeResponse = jest.fn(async () => undefined);
}

const person = (role: Role, employeeId: string): AuthUser =>
  ({ id: randomUUID(), email: `${employeeId}@example.com`, fullName: employeeId, role, employeeId, sessionId: randomUUID() });
const [alice, sam, ada] = [person(Role.User, 'EMP001'), person(Role.Support, 'EMP100'), person(Role.Admin, 'EMP200')];
const staff: Array<[string, AuthUser]> = [['support', sam], ['admin', ada]];
const config = { workflow: { timeoutMs: 2000, hilWaitMs: 300 } } as AppConfig;
const summary = { step: 'closed' } as WorkflowSummary;
const hil = (fields: HilResponseDto): HilResponseDto => Object.assign(new HilResponseDto(), fields);
/** The HTTP status and message a call was refused with. */
const refusal = (call: Promise<unknown>) =>
  call.then(
    () => { throw new Error('expected the call to be refused'); },
    (error: HttpException) => ({ status: error.getStatus(), message: error.message }),
  );

describe(WorkflowService.name, () => {
  let sut: WorkflowService;
  let tickets: FakeTicketsService;
  let repository: FakeWorkflowRepository;
  let queue: { runsHere: boolean; kick: jest.Mock; hasFreeSlot: jest.Mock; closeRun: jest.Mock };
  let engine: { describe: jest.Mock };

  beforeEach(() => {
    tickets = new FakeTicketsService();
    repository = new FakeWorkflowRepository();
    queue = { runsHere: true, kick: jest.fn(), hasFreeSlot: jest.fn(() => true), closeRun: jest.fn(async () => undefined) };
    engine = { describe: jest.fn(async () => summary) };
    sut = new WorkflowService(tickets as unknown as TicketsService, repository as unknown as WorkflowRepository,
      queue as unknown as WorkflowQueue, engine as unknown as WorkflowEngine, config);
  });

  const nothingApplied = () => {
    expect(tickets.applyChanges).not.toHaveBeenCalled();
    expect(repository.storeResponse).not.toHaveBeenCalled();
    expect(queue.kick).not.toHaveBeenCalled();
  };

  describe('respond', () => {
    const awaitingApproval = (fields: Partial<TicketDto> = {}) =>
      tickets.add({ status: TicketStatus.WaitingForApproval, decision: 'pending_approval', plan_summary: 'Grant software access', requester_id: alice.id, ...fields });
    const awaitingAnswer = () => tickets.add({ status: TicketStatus.WaitingForUser, decision: 'needs_info', requester_id: alice.id });

    it('applies an approval as the signed-in approver, stores it with the status change, and only then wakes the queue', async () => {
      const ticket = awaitingApproval();

      const response = await sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: 'EMP100', comments: 'Granted for 30 days' }), false);

      expect(response).toEqual({ ticket_id: ticket.ticket_id, decision: 'approved', plan_summary: 'Grant software access', status: 'in_progress',
        next_action: 'workflow_in_progress' });
      const stored = { id: expect.any(String), kind: 'approval', answer: null, approval: true, comments: 'Granted for 30 days', responder_id: sam.id,
        responder_employee_id: 'EMP100', responded_at: expect.any(String) };
      expect(tickets.applyChanges).toHaveBeenCalledTimes(1);
      expect(tickets.applyChanges).toHaveBeenCalledWith(ticket.ticket_id, sam.id, { status: TicketStatus.InProgress, decision: 'approved' }, undefined, {
        requireStatus: { status: TicketStatus.WaitingForApproval, otherwise: 'conflict' },
        event: { type: TicketEventType.HilResponse, payload: { kind: 'approval', approval: true, approver_id: 'EMP100', answer: null,
          comments: 'Granted for 30 days', responder_id: sam.id, responder_employee_id: 'EMP100' } },
        within: expect.any(Function),
        note: { step: 'approval' },
      });
      expect(repository.storeResponse).toHaveBeenCalledWith(ticket.ticket_id, stored);
      expect(queue.kick).toHaveBeenCalledTimes(1);
      expect(queue.kick.mock.invocationCallOrder[0]).toBeGreaterThan(tickets.applyChanges.mock.invocationCallOrder[0]);
    });

    it('records the signed-in approver even when approver_id is left out, and a denial as denied', async () => {
      const ticket = awaitingApproval();

      await expect(sut.respond(ada, ticket.ticket_id, hil({ approval: false, answer: 'Not for contractors' }), false))
        .resolves.toMatchObject({ decision: 'denied', status: 'in_progress' });

      const [, actorId, changes, , extras] = tickets.applyChanges.mock.calls[0];
      expect([actorId, changes]).toEqual([ada.id, { status: TicketStatus.InProgress, decision: 'denied' }]);
      expect(extras!.event!.payload).toMatchObject({ kind: 'approval', approval: false, approver_id: 'EMP200', answer: 'Not for contractors', comments: null });
      expect(queue.kick).toHaveBeenCalledTimes(1);
    });

    it('records the approver\'s employee id when approver_id is sent as their own account id', async () => {
      const ticket = awaitingApproval();

      await sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: sam.id }), false);

      expect(tickets.applyChanges.mock.calls[0][4]!.event!.payload).toMatchObject({ approver_id: 'EMP100', responder_id: sam.id });
    });

    it('applies the requester\'s answer to a ticket that waits for one, with no approver', async () => {
      const ticket = awaitingAnswer();

      await expect(sut.respond(alice, ticket.ticket_id, hil({ answer: 'Since Monday, error 809' }), false))
        .resolves.toMatchObject({ decision: 'pending', status: 'in_progress' });

      expect(tickets.applyChanges).toHaveBeenCalledWith(ticket.ticket_id, alice.id, { status: TicketStatus.InProgress, decision: 'pending' }, undefined, {
        requireStatus: { status: TicketStatus.WaitingForUser, otherwise: 'conflict' },
        event: { type: TicketEventType.HilResponse, payload: { kind: 'answer', approval: null, approver_id: null, answer: 'Since Monday, error 809',
          comments: null, responder_id: alice.id, responder_employee_id: 'EMP001' } },
        within: expect.any(Function),
        note: { step: 'ask_user' },
      });
      expect(repository.storeResponse).toHaveBeenCalledWith(ticket.ticket_id, expect.objectContaining({ kind: 'answer', answer: 'Since Monday, error 809' }));
      expect(queue.kick).toHaveBeenCalledTimes(1);
    });

    it('waits for a workflow that is still running to pause, then applies the response to the paused ticket', async () => {
      const ticket = awaitingApproval({ status: TicketStatus.InProgress });
      tickets.script.set(ticket.ticket_id, [TicketStatus.InProgress, TicketStatus.WaitingForApproval]);

      await expect(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false)).resolves.toMatchObject({ decision: 'approved', status: 'in_progress' });

      expect(tickets.findById).toHaveBeenCalledTimes(2);
      expect(tickets.applyChanges).toHaveBeenCalledWith(ticket.ticket_id, sam.id, { status: TicketStatus.InProgress, decision: 'approved' }, undefined,
        expect.objectContaining({ requireStatus: { status: TicketStatus.WaitingForApproval, otherwise: 'conflict' } }));
      expect(queue.kick).toHaveBeenCalledTimes(1);
    });

    it('answers 409 when the workflow is still running after the wait, and applies nothing', async () => {
      const ticket = awaitingApproval({ status: TicketStatus.Pending });

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
        status: 409, message: 'The workflow of this ticket is still running (status pending); try again in a moment' });
      expect(tickets.findById.mock.calls.length).toBeGreaterThan(1);
      nothingApplied();
    });

    it.each(['someone-else', 'EMP001', 'MANAGER001'])('refuses approver_id %p naming someone other than the signed-in user with 400', async (approverId) => {
      const ticket = awaitingApproval();

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: approverId }), false))).resolves.toEqual({
        status: 400, message: 'approver_id must be your own employee id (EMP100): the approver recorded is the signed-in user' });
      nothingApplied();
    });

    it('refuses a plain user approving with 403, even on their own ticket', async () => {
      const ticket = awaitingApproval();

      await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
        status: 403, message: 'Only support and admin can approve or deny a request' });
      nothingApplied();
    });

    it.each(staff)('refuses %s approving or denying their own request with 403 (segregation of duties)', async (_, approver) => {
      const ticket = awaitingApproval({ requester_id: approver.id, employee_id: approver.employeeId });

      for (const approval of [true, false]) {
        await expect(refusal(sut.respond(approver, ticket.ticket_id, hil({ approval }), false))).resolves.toEqual({
          status: 403, message: 'Nobody may approve or deny their own request (segregation of duties)' });
      }
      nothingApplied();
    });

    it('refuses a ticket waiting for an approval without `approval` with 400', async () => {
      const ticket = awaitingApproval();

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ answer: 'Looks fine' }), false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an approval: send `approval` (true or false)' });
      nothingApplied();
    });

    it('refuses a ticket waiting for the requester without `answer` with 400', async () => {
      const ticket = awaitingAnswer();

      await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ comments: 'See above' }), false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an answer from its requester: send `answer`' });
      nothingApplied();
    });

    it.each<[string, AuthUser, HilResponseDto]>([
      ['alone', sam, hil({ approval: true })],
      ['with an answer', sam, hil({ approval: false, answer: 'No' })],
      ['by the requester', alice, hil({ approval: true, answer: 'Yes' })],
    ])('refuses `approval` sent %s to a ticket waiting for the requester with 400', async (_, responder, dto) => {
      const ticket = awaitingAnswer();

      await expect(refusal(sut.respond(responder, ticket.ticket_id, dto, false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an answer from its requester, not an approval: send `answer`' });
      nothingApplied();
    });

    it.each([TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated, TicketStatus.Error])(
      'answers 409 naming the status of a %s ticket, and applies nothing',
      async (status) => {
        const ticket = awaitingApproval({ status });

        await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
          status: 409, message: `This ticket is ${status}: it is not waiting for a person` });
        expect(tickets.findById).not.toHaveBeenCalled();
        nothingApplied();
      },
    );

    it('answers 404 for a ticket the user may not see, before looking at the body', async () => {
      const ticket = awaitingApproval({ requester_id: randomUUID() });

      await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ approval: true, approver_id: 'EMP999' }), false))).resolves.toEqual({
        status: 404, message: `Ticket ${ticket.ticket_id} not found` });
      expect(tickets.get).toHaveBeenCalledWith(alice, ticket.ticket_id);
      nothingApplied();
    });
  });

  describe('createRequest', () => {
    const dto = (fields: Partial<CreateRequestDto> = {}) =>
      Object.assign(new CreateRequestDto(), { title: 'Admin access', description: 'For the CRM audit next week', request_type: RequestType.SoftwareAccess, ...fields });

    it('files the ticket for the signed-in user, queues its run, and answers in seed 000\'s shape', async () => {
      const response = await sut.createRequest(alice, dto({ employee_id: 'EMP001' }), false);

      const [created] = tickets.tickets.values();
      expect(response).toEqual({ ticket_id: created.ticket_id, decision: 'pending', plan_summary: null, status: 'pending', next_action: 'workflow_starting' });
      expect(tickets.create).toHaveBeenCalledWith(alice, { title: 'Admin access', description: 'For the CRM audit next week', request_type: RequestType.SoftwareAccess });
      expect(repository.enqueue).toHaveBeenCalledWith(created.ticket_id);
      expect(queue.kick).toHaveBeenCalledTimes(1);
      expect(tickets.applyChanges).not.toHaveBeenCalled();
    });

    it('takes the employee id from the account when none is sent', async () => {
      await expect(sut.createRequest(alice, dto(), false)).resolves.toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
      expect(tickets.create).toHaveBeenCalledWith(alice, expect.not.objectContaining({ employee_id: expect.anything() }));
    });

    it('answers next_action queued, and marks the ticket so, when no slot is free to start it now', async () => {
      queue.hasFreeSlot.mockReturnValue(false);

      const response = await sut.createRequest(alice, dto(), false);

      expect(response).toMatchObject({ status: 'pending', decision: 'pending', next_action: 'queued' });
      expect(tickets.applyChanges).toHaveBeenCalledWith(response.ticket_id, null, { nextAction: 'queued' }, undefined, {
        requireStatus: { status: TicketStatus.Pending, otherwise: 'skip' },
        note: { step: 'queued' },
      });
      expect(repository.enqueue).toHaveBeenCalledWith(response.ticket_id);
    });

    it('answers workflow_starting on an intake-only instance, which leaves the run to the instances that run workflows', async () => {
      Object.assign(queue, { runsHere: false });
      queue.hasFreeSlot.mockReturnValue(false);

      await expect(sut.createRequest(alice, dto(), false)).resolves.toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
      expect(repository.enqueue).toHaveBeenCalledTimes(1);
      expect(tickets.applyChanges).not.toHaveBeenCalled();
    });

    it('refuses an employee_id other than the signed-in user\'s with 400, and files nothing', async () => {
      await expect(refusal(sut.createRequest(alice, dto({ employee_id: 'EMP002' }), false))).resolves.toEqual({
        status: 400, message: 'employee_id must be your own (EMP001): requests are filed for the signed-in user' });
      expect(tickets.create).not.toHaveBeenCalled();
      expect(repository.enqueue).not.toHaveBeenCalled();
      expect(queue.kick).not.toHaveBeenCalled();
      expect(tickets.tickets.size).toBe(0);
    });
  });

  describe('onTicketUpdated', () => {
    const waitingRun = (state: RunState = 'waiting') => {
      const ticket = tickets.add({ status: TicketStatus.WaitingForApproval });
      repository.runs.set(ticket.ticket_id, { ticketId: ticket.ticket_id, state });
      return ticket.ticket_id;
    };
    const nothingEnded = () => expect(queue.closeRun).not.toHaveBeenCalled();

    it.each([TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated])(
      'ends a waiting run when a person moves its ticket to %s',
      async (status) => {
        const ticketId = waitingRun();

        await sut.onTicketUpdated({ ticketId, status, actorId: sam.id });

        expect(queue.closeRun).toHaveBeenCalledWith(ticketId, status, sam.id);
      },
    );

    it('leaves the workflow alone when the workflow itself (no actor) closed the ticket', async () => {
      const ticketId = waitingRun();
      await sut.onTicketUpdated({ ticketId, status: TicketStatus.Resolved, actorId: null });
      expect(repository.findRun).not.toHaveBeenCalled();
      nothingEnded();
    });

    it.each([TicketStatus.InProgress, TicketStatus.WaitingForUser, TicketStatus.Pending, TicketStatus.Error])(
      'leaves the workflow alone when a person moves the ticket to %s, which is not final',
      async (status) => {
        const ticketId = waitingRun();
        await sut.onTicketUpdated({ ticketId, status, actorId: sam.id });
        expect(repository.findRun).not.toHaveBeenCalled();
        nothingEnded();
      },
    );

    it.each<RunState>(['running', 'done'])('leaves a %s run alone: it ends by itself', async (state) => {
      const ticketId = waitingRun(state);
      await sut.onTicketUpdated({ ticketId, status: TicketStatus.Resolved, actorId: sam.id });
      expect(repository.findRun).toHaveBeenCalledWith(ticketId);
      nothingEnded();
    });

    it('does nothing for a ticket that has no run', async () => {
      await sut.onTicketUpdated({ ticketId: randomUUID(), status: TicketStatus.Resolved, actorId: sam.id });
      nothingEnded();
    });

    it('logs instead of throwing when the run cannot be closed', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
      const ticketId = waitingRun();
      queue.closeRun.mockRejectedValueOnce(new Error('checkpoint store down'));

      await expect(sut.onTicketUpdated({ ticketId, status: TicketStatus.Denied, actorId: sam.id })).resolves.toBeUndefined();

      expect(warn).toHaveBeenCalledWith(`Could not end the workflow of closed ticket ${ticketId}: Error: checkpoint store down`);
      warn.mockRestore();
    });
  });
});
