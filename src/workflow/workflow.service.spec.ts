import { ConflictException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { AppConfig } from '../config/app-config';
import { TicketDto } from '../tickets/dto/ticket.dto';
import { NEXT_ACTION } from '../tickets/ticket-transitions';
import { TicketChanges, TicketWriter } from '../tickets/ticket-writer.service';
import { RequestType, TicketStatus } from '../tickets/ticket.enums';
import { isStaff, TicketsService, Viewer } from '../tickets/tickets.service';
import { Role } from '../users/role.enum';
import { CreateRequestDto } from './dto/create-request.dto';
import { HilResponseDto } from './dto/hil.dto';
import { RunWaiter } from './run-waiter';
import type { RunState, WorkflowRun } from './workflow-run.entity';
import { WorkflowCommands } from './workflow.commands';
import { WorkflowEngine } from './workflow.engine';
import { WorkflowQueue } from './workflow.queue';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowService } from './workflow.service';
import type { HumanResponse, PendingRequest, WorkflowSummary } from './workflow.types';

/** Tickets as TicketsService shows them. */
class FakeTicketsService {
  readonly tickets = new Map<string, TicketDto>();

  get = jest.fn(async (viewer: Viewer, ticketId: string) => ({ ...this.visible(viewer, ticketId) }));
  assertVisible = jest.fn(async (viewer: Viewer, ticketId: string) => void this.visible(viewer, ticketId));
  findById = jest.fn(async (ticketId: string) => (this.tickets.has(ticketId) ? { ...this.tickets.get(ticketId)! } : null));
  create = jest.fn(async (requester: Viewer, fields: Omit<CreateRequestDto, 'employee_id'>) =>
    ({ ...this.add({ requester_id: requester.id, employee_id: requester.employeeId, title: fields.title, description: fields.description }) }));

  add(fields: Partial<TicketDto> = {}): TicketDto {
    const ticket = { ticket_id: randomUUID(), title: 'Admin access', description: 'I need admin access to the CRM for the audit',
      request_type: RequestType.SoftwareAccess, status: TicketStatus.Pending, decision: 'pending', plan_summary: null, next_action: 'workflow_starting',
      requester_id: randomUUID(), employee_id: 'EMP001', updated_at: new Date(), ...fields } as TicketDto;
    this.tickets.set(ticket.ticket_id, ticket);
    return ticket;
  }

  /** What a command of the ticket writer does to the ticket, as the workflow's fakes apply it. */
  change(ticketId: string, changes: TicketChanges): TicketDto {
    const ticket = this.tickets.get(ticketId)!;
    if (changes.status) Object.assign(ticket, { status: changes.status, next_action: NEXT_ACTION[changes.status] });
    if (changes.decision) ticket.decision = changes.decision;
    if (changes.nextAction) ticket.next_action = changes.nextAction;
    return { ...ticket };
  }

  private visible(viewer: Viewer, ticketId: string): TicketDto {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || !(isStaff(viewer) || ticket.requester_id === viewer.id)) throw new NotFoundException(`Ticket ${ticketId} not found`);
    return ticket;
  }
}

/** One run row per ticket. */
class FakeWorkflowRepository {
  readonly runs = new Map<string, WorkflowRun>();

  findRun = jest.fn(async (ticketId: string) => this.copy(ticketId));
  enqueue = jest.fn(async (_ticketId: string) => undefined);

  put(ticketId: string, state: RunState, pending: PendingRequest | null = null, summary: WorkflowSummary | null = null): void {
    this.runs.set(ticketId, { ticketId, state, pending, summary } as WorkflowRun);
  }

  private copy = (ticketId: string): WorkflowRun | null => (this.runs.has(ticketId) ? { ...this.runs.get(ticketId)! } : null);
}

/** Waits for nothing: each wait moves the run on to the next scripted state, as if the workflow ran meanwhile. */
class FakeRunWaiter {
  readonly script = new Map<string, Array<{ state: RunState; pending?: PendingRequest }>>();

  constructor(private readonly repository: FakeWorkflowRepository) {}

  untilSettled = jest.fn(async (ticketId: string, _limitMs: number, _signal?: AbortSignal) => {
    const next = this.script.get(ticketId)?.shift();
    if (next) this.repository.put(ticketId, next.state, next.pending ?? null);
    return this.repository.findRun(ticketId);
  });

  /** As if another instance settled the run: no ticket from a segment of this one. */
  untilSettledTicket = jest.fn(async (_ticketId: string, _limitMs: number, _signal?: AbortSignal, _queuedNow?: boolean): Promise<TicketDto | undefined> => undefined);
}

const person = (role: Role, employeeId: string): AuthUser =>
  ({ id: randomUUID(), email: `${employeeId}@example.com`, fullName: employeeId, role, employeeId, sessionId: randomUUID() });
const [alice, sam, ada] = [person(Role.User, 'EMP001'), person(Role.Support, 'EMP100'), person(Role.Admin, 'EMP200')];
const staff: Array<[string, AuthUser]> = [['support', sam], ['admin', ada]];
const configWith = (enabled: boolean) => ({ workflow: { enabled, timeoutMs: 2000, hilWaitMs: 300 } }) as AppConfig;
const summary = { step: 'resolve', rule: { outcome: 'resolve', rule: 'known_fix', description: 'A known fix applies' } } as WorkflowSummary;
const hil = (fields: HilResponseDto): HilResponseDto => Object.assign(new HilResponseDto(), fields);
const approvalRequest = (): PendingRequest => ({ id: randomUUID(), kind: 'approval', question: 'Grant admin access to the CRM?', rule: 'software_access', source: 'workflow' });
const question = (source: PendingRequest['source'] = 'workflow'): PendingRequest =>
  ({ id: randomUUID(), kind: 'question', question: 'Since when does it fail?', rule: 'missing_details', source });
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
  let waiter: FakeRunWaiter;
  let ticketWriter: { guardStaffStatusChanges: jest.Mock; recordWorkflowStep: jest.Mock };
  let commands: { recordHumanResponse: jest.Mock; askRequester: jest.Mock; retry: jest.Mock };
  let queue: { runsHere: boolean; announceQueuedRuns: jest.Mock; hasFreeSlot: jest.Mock; closeRun: jest.Mock };
  let engine: { describe: jest.Mock };

  const build = (config: AppConfig) =>
    new WorkflowService(tickets as unknown as TicketsService, ticketWriter as unknown as TicketWriter, repository as unknown as WorkflowRepository,
      commands as unknown as WorkflowCommands, queue as unknown as WorkflowQueue, engine as unknown as WorkflowEngine,
      waiter as unknown as RunWaiter, config);

  beforeEach(() => {
    tickets = new FakeTicketsService();
    repository = new FakeWorkflowRepository();
    waiter = new FakeRunWaiter(repository);
    ticketWriter = {
      guardStaffStatusChanges: jest.fn(),
      recordWorkflowStep: jest.fn(async (ticketId: string, changes: TicketChanges) => tickets.change(ticketId, changes)),
    };
    commands = {
      recordHumanResponse: jest.fn(async (ticketId: string, response: HumanResponse) =>
        tickets.change(ticketId, { status: TicketStatus.InProgress,
          decision: response.kind === 'approval' ? (response.approval ? 'approved' : 'denied') : 'pending' })),
      askRequester: jest.fn(async (ticketId: string) => tickets.change(ticketId, { status: TicketStatus.WaitingForUser, decision: 'needs_info' })),
      retry: jest.fn(async (ticketId: string) => tickets.change(ticketId, { status: TicketStatus.InProgress, decision: 'pending' })),
    };
    queue = { runsHere: true, announceQueuedRuns: jest.fn(), hasFreeSlot: jest.fn(() => true), closeRun: jest.fn(async () => undefined) };
    engine = { describe: jest.fn(async () => summary) };
    sut = build(configWith(true));
  });

  const nothingApplied = () => {
    expect(commands.recordHumanResponse).not.toHaveBeenCalled();
    expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
  };

  describe('respond', () => {
    /** A ticket of Alice's whose run waits for `pending`; its status says what the ticket shows, which is not what decides. */
    const waitingFor = (pending: PendingRequest, fields: Partial<TicketDto> = {}) => {
      const status = pending.kind === 'approval' ? TicketStatus.WaitingForApproval : TicketStatus.WaitingForUser;
      const ticket = tickets.add({ status, decision: 'pending_approval', plan_summary: 'Grant software access', requester_id: alice.id, ...fields });
      repository.put(ticket.ticket_id, 'waiting', pending);
      return ticket;
    };

    it('applies an approval as the signed-in approver, with the request it answers, and only then wakes the queue', async () => {
      const pending = approvalRequest();
      const ticket = waitingFor(pending);

      const response = await sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: 'EMP100', comments: 'Granted for 30 days' }), false);

      expect(response).toEqual({ ticket_id: ticket.ticket_id, decision: 'approved', plan_summary: 'Grant software access', status: 'in_progress',
        next_action: 'workflow_in_progress' });
      expect(commands.recordHumanResponse).toHaveBeenCalledTimes(1);
      expect(commands.recordHumanResponse).toHaveBeenCalledWith(ticket.ticket_id, {
        id: expect.any(String), pending_id: pending.id, source: 'workflow', kind: 'approval', answer: null, approval: true,
        comments: 'Granted for 30 days', responder_id: sam.id, responder_employee_id: 'EMP100', responder_name: 'EMP100', responded_at: expect.any(String),
      }, undefined, expect.objectContaining({ ticket_id: ticket.ticket_id, status: 'waiting_for_approval' }));
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
      expect(queue.announceQueuedRuns.mock.invocationCallOrder[0]).toBeGreaterThan(commands.recordHumanResponse.mock.invocationCallOrder[0]);
      expect(waiter.untilSettled).not.toHaveBeenCalled();
    });

    it('records the signed-in approver even when approver_id is left out, and a denial with its note', async () => {
      const ticket = waitingFor(approvalRequest());

      await expect(sut.respond(ada, ticket.ticket_id, hil({ approval: false, answer: 'Not for contractors' }), false))
        .resolves.toMatchObject({ decision: 'denied', status: 'in_progress' });

      const [, response] = commands.recordHumanResponse.mock.calls[0];
      expect(response).toMatchObject({ kind: 'approval', approval: false, answer: 'Not for contractors', comments: null, responder_id: ada.id,
        responder_employee_id: 'EMP200' });
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
    });

    it('records the approver\'s employee id when approver_id is sent as their own account id', async () => {
      const ticket = waitingFor(approvalRequest());

      await sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: sam.id }), false);

      expect(commands.recordHumanResponse.mock.calls[0][1]).toMatchObject({ responder_id: sam.id, responder_employee_id: 'EMP100' });
    });

    it.each<[string, PendingRequest['source']]>([['the workflow', 'workflow'], ['support', 'staff']])(
      'applies the requester\'s answer to a question %s asked, with no approval',
      async (_, source) => {
        const pending = question(source);
        const ticket = waitingFor(pending);

        await expect(sut.respond(alice, ticket.ticket_id, hil({ answer: 'Since Monday, error 809' }), false))
          .resolves.toMatchObject({ decision: 'pending', status: 'in_progress' });

        expect(commands.recordHumanResponse).toHaveBeenCalledWith(ticket.ticket_id, expect.objectContaining({
          pending_id: pending.id, source, kind: 'answer', answer: 'Since Monday, error 809', approval: null, comments: null,
          responder_id: alice.id, responder_employee_id: 'EMP001' }), undefined, expect.objectContaining({ ticket_id: ticket.ticket_id }));
        expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
      },
    );

    it.each([TicketStatus.WaitingForUser, TicketStatus.InProgress, TicketStatus.Escalated])(
      'asks for an approval when the run waits for one, though the ticket shows %s',
      async (status) => {
        const ticket = waitingFor(approvalRequest(), { status });

        await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ answer: 'Since Monday' }), false))).resolves.toEqual({
          status: 400, message: 'This ticket waits for an approval: send `approval` (true or false)' });
        nothingApplied();
        await expect(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false)).resolves.toMatchObject({ decision: 'approved' });
      },
    );

    it('takes the requester\'s answer when the run waits for a question, though the ticket shows waiting_for_approval', async () => {
      const ticket = waitingFor(question(), { status: TicketStatus.WaitingForApproval });

      await expect(sut.respond(alice, ticket.ticket_id, hil({ answer: 'Since Monday' }), false)).resolves.toMatchObject({ status: 'in_progress' });
      expect(commands.recordHumanResponse.mock.calls[0][1]).toMatchObject({ kind: 'answer', answer: 'Since Monday' });
    });

    it.each<RunState>(['queued', 'running'])('waits for a %s run to pause, then applies the response to what it waits for', async (state) => {
      const pending = approvalRequest();
      const ticket = tickets.add({ status: TicketStatus.InProgress, requester_id: alice.id });
      repository.put(ticket.ticket_id, state);
      waiter.script.set(ticket.ticket_id, [{ state: 'waiting', pending }]);
      const clientGone = new AbortController().signal;

      await expect(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false, clientGone)).resolves.toMatchObject({ decision: 'approved' });

      expect(waiter.untilSettled).toHaveBeenCalledTimes(1);
      expect(waiter.untilSettled).toHaveBeenCalledWith(ticket.ticket_id, 300, clientGone);
      expect(commands.recordHumanResponse).toHaveBeenCalledWith(ticket.ticket_id, expect.objectContaining({ pending_id: pending.id }), undefined, expect.objectContaining({ ticket_id: ticket.ticket_id }));
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
    });

    it('answers 409 "still running" when the run is still busy after the wait, and applies nothing', async () => {
      const ticket = tickets.add({ status: TicketStatus.InProgress, requester_id: alice.id });
      repository.put(ticket.ticket_id, 'running');
      waiter.script.set(ticket.ticket_id, [{ state: 'running' }]);

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
        status: 409, message: 'The workflow of this ticket is still running (status in_progress); try again in a moment' });
      expect(waiter.untilSettled).toHaveBeenCalledTimes(1);
      nothingApplied();
    });

    const askHint = (ticketId: string) => `; support can ask the requester with POST /api/v1/workflow/${ticketId}/ask`;
    it.each<[TicketStatus, RunState | null, boolean]>([
      [TicketStatus.Resolved, 'done', false],
      [TicketStatus.Denied, 'done', false],
      [TicketStatus.Error, 'done', false],
      [TicketStatus.Escalated, 'done', true],
      [TicketStatus.InProgress, null, true],
      [TicketStatus.Pending, null, false],
    ])('answers 409 naming the status of a %s ticket whose run (%s) waits for nobody, and applies nothing', async (status, state, hinted) => {
      const ticket = tickets.add({ status, requester_id: alice.id });
      if (state) repository.put(ticket.ticket_id, state);

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
        status: 409, message: `This ticket is ${status}: it is not waiting for a person${hinted ? askHint(ticket.ticket_id) : ''}` });
      expect(repository.findRun).toHaveBeenCalledWith(ticket.ticket_id);
      expect(waiter.untilSettled).not.toHaveBeenCalled();
      nothingApplied();
    });

    it.each(['someone-else', 'EMP001', 'MANAGER001'])('refuses approver_id %p naming someone other than the signed-in user with 400', async (approverId) => {
      const ticket = waitingFor(approvalRequest());

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true, approver_id: approverId }), false))).resolves.toEqual({
        status: 400, message: 'approver_id must be your own employee id (EMP100): the approver recorded is the signed-in user' });
      expect(repository.findRun).not.toHaveBeenCalled();
      nothingApplied();
    });

    it('refuses a plain user approving with 403, even on their own ticket', async () => {
      const ticket = waitingFor(approvalRequest());

      for (const approval of [true, false]) {
        await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ approval }), false))).resolves.toEqual({
          status: 403, message: 'Only support and admin can approve or deny a request' });
      }
      nothingApplied();
    });

    it.each(staff)('refuses %s approving or denying their own request with 403 (segregation of duties)', async (_, approver) => {
      const ticket = waitingFor(approvalRequest(), { requester_id: approver.id, employee_id: approver.employeeId });

      for (const approval of [true, false]) {
        await expect(refusal(sut.respond(approver, ticket.ticket_id, hil({ approval }), false))).resolves.toEqual({
          status: 403, message: expect.stringContaining('may not approve or deny your own request (segregation of duties)') });
      }
      nothingApplied();
    });

    it('refuses a denial without a reason with 400: the requester reads why', async () => {
      const ticket = waitingFor(approvalRequest());

      for (const body of [hil({ approval: false }), hil({ approval: false, comments: '   ' })]) {
        await expect(refusal(sut.respond(sam, ticket.ticket_id, body, false))).resolves.toEqual({
          status: 400, message: 'Say why you deny the request: send `comments` with the reason; the requester reads it' });
      }
      nothingApplied();
    });

    it('refuses a run waiting for an approval without `approval` with 400', async () => {
      const ticket = waitingFor(approvalRequest());

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ answer: 'Looks fine' }), false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an approval: send `approval` (true or false)' });
      nothingApplied();
    });

    it('refuses a run waiting for the requester without `answer` with 400', async () => {
      const ticket = waitingFor(question());

      await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ comments: 'See above' }), false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an answer from its requester: send `answer`' });
      nothingApplied();
    });

    it('refuses `approval` sent alone to a run waiting for the requester with 400, asking for `answer`', async () => {
      const ticket = waitingFor(question());

      await expect(refusal(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an answer from its requester, not an approval: send `answer` instead of `approval`' });
      nothingApplied();
    });

    it.each<[string, AuthUser, HilResponseDto]>([
      ['with an answer', sam, hil({ approval: false, answer: 'No' })],
      ['by the requester with an answer', alice, hil({ approval: true, answer: 'Approved' })],
    ])('refuses `approval` sent %s to a run waiting for the requester with 400 that says to leave it out, not to send the answer it has', async (_, responder, dto) => {
      const ticket = waitingFor(question());

      await expect(refusal(sut.respond(responder, ticket.ticket_id, dto, false))).resolves.toEqual({
        status: 400, message: 'This ticket waits for an answer from its requester, not an approval: leave out `approval` (your `answer` is what it waits for)' });
      nothingApplied();
    });

    it('answers 404 for a ticket the user may not see, before looking at the body or the run', async () => {
      const ticket = waitingFor(approvalRequest(), { requester_id: randomUUID() });

      await expect(refusal(sut.respond(alice, ticket.ticket_id, hil({ approval: true, approver_id: 'EMP999' }), false))).resolves.toEqual({
        status: 404, message: `Ticket ${ticket.ticket_id} not found` });
      expect(tickets.get).toHaveBeenCalledWith(alice, ticket.ticket_id);
      expect(repository.findRun).not.toHaveBeenCalled();
      nothingApplied();
    });

    it('wakes no queue when the run stopped waiting a moment before the response was recorded', async () => {
      const ticket = waitingFor(approvalRequest());
      const tooLate = new ConflictException('This ticket no longer waits for that: it was answered or closed a moment ago');
      commands.recordHumanResponse.mockRejectedValueOnce(tooLate);

      await expect(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), false)).rejects.toBe(tooLate);
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
    });

    it('with wait, answers with the ticket as it is once its run has settled', async () => {
      const ticket = waitingFor(approvalRequest());
      const clientGone = new AbortController().signal;
      waiter.untilSettledTicket.mockImplementationOnce(async (ticketId: string) => {
        tickets.change(ticketId, { status: TicketStatus.Resolved, decision: 'resolved' });
        return undefined;
      });

      await expect(sut.respond(sam, ticket.ticket_id, hil({ approval: true }), true, clientGone)).resolves.toEqual({
        ticket_id: ticket.ticket_id, decision: 'resolved', plan_summary: 'Grant software access', status: 'resolved', next_action: 'none' });
      expect(waiter.untilSettledTicket).toHaveBeenCalledWith(ticket.ticket_id, 2000, clientGone, true);
      expect(waiter.untilSettledTicket.mock.invocationCallOrder[0]).toBeGreaterThan(queue.announceQueuedRuns.mock.invocationCallOrder[0]);
    });
  });

  describe('ask', () => {
    it('asks the requester through the workflow commands once the ticket is known to be visible', async () => {
      const ticket = tickets.add({ status: TicketStatus.Escalated, requester_id: alice.id });

      await expect(sut.ask(sam, ticket.ticket_id, 'Which laptop model do you have?')).resolves.toEqual({
        ticket_id: ticket.ticket_id, decision: 'needs_info', plan_summary: null, status: 'waiting_for_user', next_action: 'awaiting_requester_input' });
      expect(tickets.assertVisible).toHaveBeenCalledWith(sam, ticket.ticket_id);
      expect(commands.askRequester).toHaveBeenCalledWith(ticket.ticket_id, sam, 'Which laptop model do you have?');
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
    });

    it('answers 404 for a ticket the user may not see, asking nothing', async () => {
      const ticket = tickets.add({ status: TicketStatus.Escalated, requester_id: randomUUID() });

      await expect(sut.ask(alice, ticket.ticket_id, 'Which laptop?')).rejects.toThrow(new NotFoundException(`Ticket ${ticket.ticket_id} not found`));
      expect(commands.askRequester).not.toHaveBeenCalled();
    });
  });

  describe('retry', () => {
    it('queues the run again through the workflow commands, then wakes the queue', async () => {
      const ticket = tickets.add({ status: TicketStatus.Error, requester_id: alice.id });

      await expect(sut.retry(sam, ticket.ticket_id)).resolves.toMatchObject({ status: 'in_progress', decision: 'pending' });
      expect(commands.retry).toHaveBeenCalledWith(ticket.ticket_id, sam);
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
      expect(queue.announceQueuedRuns.mock.invocationCallOrder[0]).toBeGreaterThan(commands.retry.mock.invocationCallOrder[0]);
    });

    it('wakes no queue when the retry is refused, or the ticket is not visible', async () => {
      const ticket = tickets.add({ status: TicketStatus.Error, requester_id: randomUUID() });
      const held = new ConflictException('The workflow still holds this ticket');
      commands.retry.mockRejectedValueOnce(held);

      await expect(sut.retry(sam, ticket.ticket_id)).rejects.toBe(held);
      await expect(sut.retry(alice, ticket.ticket_id)).rejects.toThrow(NotFoundException);
      expect(commands.retry).toHaveBeenCalledTimes(1);
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
    });
  });

  it('shows the state of a run: what it waits for, and the summary kept on the run once the graph has none', async () => {
    const pending = approvalRequest();
    const ticket = tickets.add({ status: TicketStatus.WaitingForApproval, requester_id: alice.id });
    repository.put(ticket.ticket_id, 'waiting', pending, summary);
    engine.describe.mockResolvedValueOnce(null);

    await expect(sut.getState(alice, ticket.ticket_id)).resolves.toMatchObject({
      ticket_id: ticket.ticket_id, status: 'waiting_for_approval', run_state: 'waiting', step: 'approval',
      pending: { kind: 'approval', question: 'Grant admin access to the CRM?', rule: 'software_access', interrupt_id: pending.id, source: 'workflow', asked_by: null },
      rule: { id: 'known_fix', description: 'A known fix applies', outcome: 'resolve' },
    });
    expect(engine.describe).toHaveBeenCalledWith(ticket.ticket_id);
  });

  describe('createRequest', () => {
    const dto = (fields: Partial<CreateRequestDto> = {}) =>
      Object.assign(new CreateRequestDto(), { title: 'Admin access', description: 'For the CRM audit next week', request_type: RequestType.SoftwareAccess, ...fields });

    it('files the ticket for the signed-in user, queues its run, and answers in the Local IT Support API\'s shape', async () => {
      const response = await sut.createRequest(alice, dto({ employee_id: 'EMP001' }), false);

      const [created] = tickets.tickets.values();
      expect(response).toEqual({ ticket_id: created.ticket_id, decision: 'pending', plan_summary: null, status: 'pending', next_action: 'workflow_starting' });
      expect(tickets.create).toHaveBeenCalledWith(alice, { title: 'Admin access', description: 'For the CRM audit next week', request_type: RequestType.SoftwareAccess });
      expect(repository.enqueue).toHaveBeenCalledWith(created.ticket_id);
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
      expect(ticketWriter.recordWorkflowStep).not.toHaveBeenCalled();
    });

    it('takes the employee id from the account when none is sent', async () => {
      await expect(sut.createRequest(alice, dto(), false)).resolves.toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
      expect(tickets.create).toHaveBeenCalledWith(alice, expect.not.objectContaining({ employee_id: expect.anything() }));
    });

    it('answers next_action queued, and marks the ticket so while it is still pending, when no slot is free to start it now', async () => {
      queue.hasFreeSlot.mockReturnValue(false);

      const response = await sut.createRequest(alice, dto(), false);

      expect(response).toMatchObject({ status: 'pending', decision: 'pending', next_action: 'queued' });
      expect(ticketWriter.recordWorkflowStep).toHaveBeenCalledWith(response.ticket_id, { nextAction: 'queued' },
        { note: { step: 'queued' }, onlyIfStatus: TicketStatus.Pending });
      expect(repository.enqueue).toHaveBeenCalledWith(response.ticket_id);
    });

    it('answers workflow_starting on an intake-only instance, which leaves the run to the instances that run workflows', async () => {
      Object.assign(queue, { runsHere: false });
      queue.hasFreeSlot.mockReturnValue(false);

      await expect(sut.createRequest(alice, dto(), false)).resolves.toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
      expect(repository.enqueue).toHaveBeenCalledTimes(1);
      expect(ticketWriter.recordWorkflowStep).not.toHaveBeenCalled();
    });

    it('with wait, answers with the ticket as it is once its run has settled', async () => {
      const clientGone = new AbortController().signal;
      waiter.untilSettledTicket.mockImplementationOnce(async (ticketId: string) => {
        tickets.change(ticketId, { status: TicketStatus.WaitingForApproval, decision: 'pending_approval' });
        return undefined;
      });

      const response = await sut.createRequest(alice, dto(), true, clientGone);

      expect(response).toMatchObject({ status: 'waiting_for_approval', decision: 'pending_approval', next_action: 'awaiting_approval' });
      expect(waiter.untilSettledTicket).toHaveBeenCalledWith(response.ticket_id, 2000, clientGone, true);
      expect(tickets.findById).toHaveBeenCalledWith(response.ticket_id);
    });

    it('with wait, answers with the ticket as the segment that settled its run here left it, without reading it again', async () => {
      waiter.untilSettledTicket.mockImplementationOnce(async (ticketId: string) => {
        const left = { ...(await tickets.findById(ticketId))!, status: TicketStatus.WaitingForApproval, decision: 'pending_approval', next_action: 'awaiting_approval' };
        tickets.findById.mockClear();
        return left;
      });

      const response = await sut.createRequest(alice, dto(), true);

      expect(response).toMatchObject({ status: 'waiting_for_approval', decision: 'pending_approval', next_action: 'awaiting_approval' });
      expect(tickets.findById).not.toHaveBeenCalled();
    });

    it('only files the ticket when WORKFLOW is disabled: no run is queued and nothing is waited for', async () => {
      sut = build(configWith(false));

      const response = await sut.createRequest(alice, dto(), true);

      expect(response).toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
      expect(tickets.create).toHaveBeenCalledTimes(1);
      expect(repository.enqueue).not.toHaveBeenCalled();
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
      expect(waiter.untilSettled).not.toHaveBeenCalled();
    });

    it('refuses an employee_id other than the signed-in user\'s with 400, and files nothing', async () => {
      await expect(refusal(sut.createRequest(alice, dto({ employee_id: 'EMP002' }), false))).resolves.toEqual({
        status: 400, message: 'employee_id must be your own (EMP001): requests are filed for the signed-in user' });
      expect(tickets.create).not.toHaveBeenCalled();
      expect(repository.enqueue).not.toHaveBeenCalled();
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
      expect(tickets.tickets.size).toBe(0);
    });
  });

  const text = { title: 'Printer jam', description: 'Tray 2 jams', resolution: null };

  describe('onTicketCreated', () => {
    it('queues the run of a ticket filed by any endpoint', async () => {
      const ticketId = randomUUID();
      await sut.onTicketCreated({ ticketId, text });
      expect(repository.enqueue).toHaveBeenCalledWith(ticketId);
      expect(queue.announceQueuedRuns).toHaveBeenCalledTimes(1);
    });

    it('queues nothing when WORKFLOW is disabled', async () => {
      sut = build(configWith(false));
      await sut.onTicketCreated({ ticketId: randomUUID(), text });
      expect(repository.enqueue).not.toHaveBeenCalled();
      expect(queue.announceQueuedRuns).not.toHaveBeenCalled();
    });

    it('logs instead of throwing when the run cannot be queued', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
      const ticketId = randomUUID();
      repository.enqueue.mockRejectedValueOnce(new Error('database down'));

      await expect(sut.onTicketCreated({ ticketId, text })).resolves.toBeUndefined();

      expect(warn).toHaveBeenCalledWith(`Could not queue the workflow of ticket ${ticketId}: Error: database down`);
      warn.mockRestore();
    });
  });

  describe('onTicketUpdated', () => {
    const runIn = (state: RunState) => {
      const ticket = tickets.add({ status: TicketStatus.WaitingForApproval });
      repository.put(ticket.ticket_id, state, state === 'waiting' ? approvalRequest() : null);
      return ticket.ticket_id;
    };
    const nothingEnded = () => expect(queue.closeRun).not.toHaveBeenCalled();

    it.each([TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated])(
      'ends a waiting run when a person moves its ticket to %s',
      async (status) => {
        const ticketId = runIn('waiting');

        await sut.onTicketUpdated({ ticketId, status, actorId: sam.id, decision: 'x', text });

        expect(queue.closeRun).toHaveBeenCalledWith(ticketId, status, sam.id);
      },
    );

    it('ends a queued run too when a person closes its ticket', async () => {
      const ticketId = runIn('queued');
      await sut.onTicketUpdated({ ticketId, status: TicketStatus.Denied, actorId: ada.id, decision: 'x', text });
      expect(queue.closeRun).toHaveBeenCalledWith(ticketId, TicketStatus.Denied, ada.id);
    });

    it('leaves the workflow alone when the workflow itself (no actor) closed the ticket', async () => {
      const ticketId = runIn('waiting');
      await sut.onTicketUpdated({ ticketId, status: TicketStatus.Resolved, actorId: null, decision: 'x', text });
      expect(repository.findRun).not.toHaveBeenCalled();
      nothingEnded();
    });

    it.each([TicketStatus.InProgress, TicketStatus.WaitingForUser, TicketStatus.Pending, TicketStatus.Error])(
      'leaves the workflow alone when a person moves the ticket to %s, which is not final',
      async (status) => {
        const ticketId = runIn('waiting');
        await sut.onTicketUpdated({ ticketId, status, actorId: sam.id, decision: 'x', text });
        expect(repository.findRun).not.toHaveBeenCalled();
        nothingEnded();
      },
    );

    it.each<RunState>(['running', 'done'])('leaves a %s run alone: it ends by itself', async (state) => {
      const ticketId = runIn(state);
      await sut.onTicketUpdated({ ticketId, status: TicketStatus.Resolved, actorId: sam.id, decision: 'x', text });
      expect(repository.findRun).toHaveBeenCalledWith(ticketId);
      nothingEnded();
    });

    it('does nothing for a ticket that has no run', async () => {
      await sut.onTicketUpdated({ ticketId: randomUUID(), status: TicketStatus.Resolved, actorId: sam.id, decision: 'x', text });
      nothingEnded();
    });

    it('logs instead of throwing when the run cannot be closed', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
      const ticketId = runIn('waiting');
      queue.closeRun.mockRejectedValueOnce(new Error('checkpoint store down'));

      await expect(sut.onTicketUpdated({ ticketId, status: TicketStatus.Denied, actorId: sam.id, decision: 'x', text })).resolves.toBeUndefined();

      expect(warn).toHaveBeenCalledWith(`Could not end the workflow of closed ticket ${ticketId}: Error: checkpoint store down`);
      warn.mockRestore();
    });
  });
});
