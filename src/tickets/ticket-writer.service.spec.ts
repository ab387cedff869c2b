import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { FakeAfterCommit, TransactionalFake } from '../../test/support/unit-transactions';
import { AfterCommit } from '../database/after-commit';
import { TicketComment } from './ticket-comment.entity';
import { TicketEvent } from './ticket-event.entity';
import { TicketEventType } from './ticket-events';
import { REQUESTER_FAILURE_MESSAGE, toStaffView } from './ticket-audience';
import { TICKET_EVENTS_APPENDED, TICKET_UPDATED } from './ticket-signals';
import { TicketSuggestion } from './ticket-suggestion';
import { FINAL_STATUSES } from './ticket-transitions';
import { TicketClosedError } from './ticket-errors';
import { HumanResponseRecord, TicketWriter } from './ticket-writer.service';
import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from './ticket.enums';
import { Ticket } from './ticket.entity';
import { NewTicketEvent, TicketsRepository } from './tickets.repository';
import type { WorkflowHold } from './decision-rights';
import type { AppConfig } from '../config/app-config';

/** Without the workflow every status is support's; the tests of the workflow's hold turn it on. */
const workflowOff = { workflow: { enabled: false } } as AppConfig;
const workflowOn = { workflow: { enabled: true } } as AppConfig;

/** In-memory tickets, their comments and events; it notes each call and the transaction it ran in. */
class FakeTicketsRepository extends TransactionalFake {
  readonly tickets = new Map<string, Ticket>();
  readonly comments: TicketComment[] = [];
  readonly events: TicketEvent[] = [];

  /** Where each ticket's workflow run stands (none: no run). */
  readonly holds = new Map<string, WorkflowHold>();
  findByIdForUpdate = this.noted('findByIdForUpdate', async (id: string) => this.read(id));
  findByIdForUpdateWithHold = this.noted('findByIdForUpdateWithHold', async (id: string) => {
    const ticket = this.read(id);
    return ticket ? { ticket, hold: this.holds.get(id) ?? null } : null;
  });
  updateWithEvents = this.noted('updateWithEvents', async (id: string, changes: Partial<Ticket>, events: Array<Omit<NewTicketEvent, 'ticketId'>>) =>
    this.change(id, changes, events));
  /** The statement's condition: the ticket still has the status and last change the caller knew (no claim here). */
  updateAsExpected = this.noted('updateAsExpected', async (id: string, expected: { status: TicketStatus; updatedAt: Date }, changes: Partial<Ticket>, events: Array<Omit<NewTicketEvent, 'ticketId'>>) => {
    const ticket = this.tickets.get(id);
    if (!ticket || ticket.status !== expected.status || ticket.updatedAt.getTime() !== expected.updatedAt.getTime()) return null;
    return this.change(id, changes, events);
  });
  insertComment = this.noted('insertComment', async (fields: Pick<TicketComment, 'ticketId' | 'authorId' | 'body' | 'internal'>) => {
    const comment = { id: randomUUID(), createdAt: new Date(), ...fields };
    this.comments.push(comment);
    return { ...comment };
  });
  appendEvent = this.noted('appendEvent', async (fields: NewTicketEvent) => {
    const event = { id: String(this.events.length + 1), createdAt: new Date(), ...fields };
    this.events.push(event);
    return { ...event };
  });
  appendEvents = this.noted('appendEvents', async (events: NewTicketEvent[]) => {
    for (const fields of events) this.events.push({ id: String(this.events.length + 1), createdAt: new Date(), ...fields });
  });
  lastApprovalWasDenial = this.noted('lastApprovalWasDenial', async (ticketId: string) => {
    const decisions = this.events.filter((e) => e.ticketId === ticketId && e.type === 'hil_response' && e.payload.kind === 'approval' && typeof e.payload.approval === 'boolean');
    return decisions.at(-1)?.payload.approval === false;
  });

  add(fields: Partial<Ticket> = {}): Ticket {
    const ticket = { id: randomUUID(), title: 'VPN drops', description: 'Hourly', requestType: RequestType.Network, category: TicketCategory.Network,
      priority: TicketPriority.Medium, urgency: TicketUrgency.Normal, businessJustification: null, desiredCompletionDate: null,
      status: TicketStatus.Pending, decision: 'pending', planSummary: null, resolution: null, suggestion: null, nextAction: 'workflow_starting',
      requesterId: randomUUID(), employeeId: 'EMP001', assigneeId: null, createdAt: new Date(), updatedAt: new Date(), ...fields } as Ticket;
    this.tickets.set(ticket.id, ticket);
    return { ...ticket };
  }

  private change(id: string, changes: Partial<Ticket>, events: Array<Omit<NewTicketEvent, 'ticketId'>>): Ticket {
    Object.assign(this.tickets.get(id)!, changes, { updatedAt: new Date() });
    for (const fields of events) this.events.push({ id: String(this.events.length + 1), createdAt: new Date(), ticketId: id, ...fields });
    return this.read(id)!;
  }

  private read = (id: string): Ticket | null => (this.tickets.has(id) ? { ...this.tickets.get(id)! } : null);
}

const [sam, alice] = [{ id: randomUUID(), employeeId: 'EMP100' }, { id: randomUUID(), employeeId: 'EMP001' }];
const suggestion: TicketSuggestion = {
  summary: 'Reinstall the VPN client', steps: ['Uninstall', 'Install 5.2'], citations: [{ document_id: 'd1', chunk_id: 'c1', title: 'VPN guide' }],
  confidence: 0.8, provider: 'offline', suggested_at: '2025-01-01T00:00:00.000Z',
};
const approval = (fields: Partial<HumanResponseRecord> = {}): HumanResponseRecord => ({
  kind: 'approval', approval: true, answer: null, comments: 'Granted for 30 days', responderId: sam.id, responderEmployeeId: 'EMP100', ...fields,
});
const answer: HumanResponseRecord = {
  kind: 'answer', approval: null, answer: 'Since Monday, error 809', comments: null, responderId: alice.id, responderEmployeeId: 'EMP001',
};

describe(TicketWriter.name, () => {
  let sut: TicketWriter;
  let repository: FakeTicketsRepository;
  let afterCommit: FakeAfterCommit;
  /** Every signal emitted: whether it came through AfterCommit, and how many events were recorded when it was. */
  let heard: Array<{ signal: string; value: unknown; afterCommit: boolean; recordedEvents: number }>;

  beforeEach(() => {
    repository = new FakeTicketsRepository();
    afterCommit = new FakeAfterCommit();
    const events = new EventEmitter2();
    heard = [];
    events.onAny((signal, value) =>
      heard.push({ signal: String(signal), value, afterCommit: afterCommit.running, recordedEvents: repository.events.length }));
    sut = new TicketWriter(repository as unknown as TicketsRepository, events, afterCommit as unknown as AfterCommit, workflowOff);
  });

  const lastEvent = () => repository.events.at(-1)!;
  const stored = (id: string) => repository.tickets.get(id)!;
  /** The two signals of a recorded change, both sent through AfterCommit once its events are written. */
  const signalledChange = (ticketId: string, status: TicketStatus, actorId: string | null, recordedEvents = 1) => [
    { signal: TICKET_EVENTS_APPENDED, value: undefined, afterCommit: true, recordedEvents },
    { signal: TICKET_UPDATED, value: { ticketId, status, actorId, decision: expect.any(String), text: expect.objectContaining({ title: expect.any(String) }) }, afterCommit: true, recordedEvents },
  ];
  const nothingWritten = () => {
    expect(repository.updateWithEvents).not.toHaveBeenCalled();
    expect([repository.comments, repository.events, heard]).toEqual([[], [], []]);
  };

  describe('changeByStaff', () => {
    it('changes the ticket, records a workflow_update by the actor, and signals both through AfterCommit once written, in one transaction', async () => {
      const ticket = repository.add();

      const updated = await sut.changeByStaff(sam.id, ticket.id, { status: TicketStatus.InProgress, priority: TicketPriority.High });

      expect(updated).toMatchObject({ ticket_id: ticket.id, status: 'in_progress', priority: 'high', next_action: 'workflow_in_progress' });
      expect(repository.events).toEqual([expect.objectContaining({ ticketId: ticket.id, type: 'workflow_update', actorId: sam.id, staffOnly: false })]);
      expect(lastEvent().payload).toEqual({
        status: 'in_progress', decision: 'pending', plan_summary: null, next_action: 'workflow_in_progress', priority: 'high', category: 'network',
        assignee_id: null, change: 'updated',
        changes: { status: { from: 'pending', to: 'in_progress' }, priority: { from: 'medium', to: 'high' },
          next_action: { from: 'workflow_starting', to: 'workflow_in_progress' } },
      });
      expect(repository.transactions()).toEqual([['findByIdForUpdateWithHold', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.InProgress, sam.id));
    });

    it('resolves with a comment that becomes the resolution and joins the conversation', async () => {
      const ticket = repository.add({ status: TicketStatus.InProgress, nextAction: 'workflow_in_progress' });

      const updated = await sut.changeByStaff(sam.id, ticket.id, { status: TicketStatus.Resolved }, 'Reinstalled the client');

      expect(updated).toMatchObject({ status: 'resolved', resolution: 'Reinstalled the client', next_action: 'none' });
      expect(repository.comments).toEqual([expect.objectContaining({ ticketId: ticket.id, authorId: sam.id, body: 'Reinstalled the client', internal: false })]);
      expect(lastEvent()).toMatchObject({ actorId: sam.id, payload: { change: 'updated', comment: 'Reinstalled the client', status: 'resolved',
        changes: { resolution: { from: null, to: 'Reinstalled the client' } } } });
      expect(repository.transactions()).toEqual([['findByIdForUpdateWithHold', 'lastApprovalWasDenial', 'insertComment', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.Resolved, sam.id));
    });

    it('refuses the requester any status move on their own ticket with 403, writing nothing', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForApproval, requesterId: sam.id });

      for (const status of [TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated]) {
        await expect(sut.changeByStaff(sam.id, ticket.id, { status })).rejects.toThrow(ForbiddenException);
      }
      nothingWritten();
      await expect(sut.changeByStaff(sam.id, ticket.id, { priority: TicketPriority.High })).resolves.toMatchObject({ priority: 'high' });
    });

    it('refuses to resolve by hand a ticket whose last approval decision was a denial, until a new approval', async () => {
      const ticket = repository.add({ status: TicketStatus.InProgress, decision: 'denied' });
      await sut.recordHumanResponse(ticket.id, approval({ approval: false }), { step: 'hil' });
      const eventsBefore = repository.events.length;

      await expect(sut.changeByStaff(alice.id, ticket.id, { status: TicketStatus.Resolved }, 'granted anyway')).rejects.toThrow(ConflictException);
      expect(repository.events).toHaveLength(eventsBefore);
      expect(stored(ticket.id).status).toBe(TicketStatus.InProgress);
      await sut.recordHumanResponse(ticket.id, approval({ approval: true }), { step: 'hil' });
      await expect(sut.changeByStaff(alice.id, ticket.id, { status: TicketStatus.Resolved })).resolves.toMatchObject({ status: 'resolved' });
    });

    it('keeps a comment that does not resolve the ticket out of its resolution', async () => {
      const ticket = repository.add();

      await expect(sut.changeByStaff(sam.id, ticket.id, { status: TicketStatus.InProgress }, 'On it')).resolves.toMatchObject({ resolution: null });
      expect(repository.comments).toEqual([expect.objectContaining({ body: 'On it', authorId: sam.id })]);
    });

    it('records a comment alone without changing the ticket', async () => {
      const ticket = repository.add();

      await expect(sut.changeByStaff(sam.id, ticket.id, {}, 'Looking into it')).resolves.toMatchObject({ status: 'pending' });
      expect(repository.updateWithEvents).not.toHaveBeenCalled();
      expect(repository.comments).toEqual([expect.objectContaining({ body: 'Looking into it' })]);
      expect(lastEvent().payload).toMatchObject({ change: 'updated', changes: {}, comment: 'Looking into it' });
    });

    it.each<[TicketStatus, TicketStatus, string]>([
      [TicketStatus.Resolved, TicketStatus.WaitingForApproval, 'in_progress, escalated'],
      [TicketStatus.Escalated, TicketStatus.Error, 'in_progress, waiting_for_user, resolved, denied'],
    ])('refuses a move from %s to %s with a conflict naming both and where it can go, writing and signalling nothing', async (from, to, allowed) => {
      const ticket = repository.add({ status: from });

      await expect(sut.changeByStaff(sam.id, ticket.id, { status: to, priority: TicketPriority.High }, 'Again?')).rejects.toThrow(
        new ConflictException(`Cannot move a ticket from ${from} to ${to}; from ${from} it can go to: ${allowed}`),
      );
      expect(stored(ticket.id)).toMatchObject({ status: from, priority: 'medium' });
      nothingWritten();
    });

    it('returns the ticket as it is and records nothing when asked for what it already is', async () => {
      const ticket = repository.add({ priority: TicketPriority.High });

      await expect(sut.changeByStaff(sam.id, ticket.id, { status: TicketStatus.Pending, priority: TicketPriority.High, assigneeId: undefined }))
        .resolves.toMatchObject({ ticket_id: ticket.id, status: 'pending', priority: 'high' });
      nothingWritten();
    });

    it('answers 404 for a missing ticket, writing nothing', async () => {
      const missing = randomUUID();
      await expect(sut.changeByStaff(sam.id, missing, { priority: TicketPriority.Low })).rejects.toThrow(
        new NotFoundException(`Ticket ${missing} not found`),
      );
      nothingWritten();
    });

    describe('while the workflow holds the ticket', () => {
      let held: TicketWriter;
      beforeEach(() => {
        held = new TicketWriter(repository as unknown as TicketsRepository, new EventEmitter2(), afterCommit as unknown as AfterCommit, workflowOn);
      });

      it('refuses with 409 a move into a status the workflow sets, reading the run with the lock in one call, and writes nothing', async () => {
        const ticket = repository.add({ status: TicketStatus.InProgress });
        repository.holds.set(ticket.id, { state: 'waiting', pendingKind: 'approval' });

        await expect(held.changeByStaff(sam.id, ticket.id, { status: TicketStatus.Pending })).rejects.toThrow(
          `The workflow holds this ticket, so its status is the workflow's to set (it waits for an approval: answer with POST /api/v1/hil/${ticket.id}), or close it (resolved, denied, escalated)`,
        );
        expect(repository.transactions()).toEqual([['findByIdForUpdateWithHold']]);
        nothingWritten();
      });

      it('lets a person close it, and move it once the run is done', async () => {
        const running = repository.add({ status: TicketStatus.InProgress });
        repository.holds.set(running.id, { state: 'running', pendingKind: null });
        await expect(held.changeByStaff(sam.id, running.id, { status: TicketStatus.Escalated })).resolves.toMatchObject({ status: 'escalated' });
        const done = repository.add({ status: TicketStatus.Escalated });
        repository.holds.set(done.id, { state: 'done', pendingKind: null });
        await expect(held.changeByStaff(sam.id, done.id, { status: TicketStatus.InProgress })).resolves.toMatchObject({ status: 'in_progress' });
      });

      it('leaves every status to support when the workflow is off', async () => {
        const ticket = repository.add({ status: TicketStatus.InProgress });
        repository.holds.set(ticket.id, { state: 'queued', pendingKind: null });
        await expect(sut.changeByStaff(sam.id, ticket.id, { status: TicketStatus.WaitingForApproval })).resolves.toMatchObject({ status: 'waiting_for_approval' });
      });
    });
  });

  describe('recordWorkflowStep', () => {
    it('moves next_action with the status and describes each change from/to under its snake_case name, with the note', async () => {
      const ticket = repository.add();
      const changes = { status: TicketStatus.WaitingForApproval, decision: 'needs_approval', planSummary: 'Ask the manager', assigneeId: sam.id };

      const updated = await sut.recordWorkflowStep(ticket.id, changes, { note: { step: 'approval', rule: 'software_access' } });

      expect(updated).toMatchObject({ status: 'waiting_for_approval', next_action: 'awaiting_approval', plan_summary: 'Ask the manager' });
      expect(lastEvent()).toMatchObject({ ticketId: ticket.id, type: 'workflow_update', actorId: null, staffOnly: false, payload: {
        status: 'waiting_for_approval', decision: 'needs_approval', next_action: 'awaiting_approval', assignee_id: sam.id, change: 'updated',
        step: 'approval', rule: 'software_access' } });
      expect(lastEvent().payload.changes).toEqual({
        status: { from: 'pending', to: 'waiting_for_approval' }, decision: { from: 'pending', to: 'needs_approval' },
        plan_summary: { from: null, to: 'Ask the manager' }, assignee_id: { from: null, to: sam.id },
        next_action: { from: 'workflow_starting', to: 'awaiting_approval' },
      });
      expect(lastEvent().payload).not.toHaveProperty('comment');
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.WaitingForApproval, null));
    });

    it('adds the workflow’s comment to the conversation with no author', async () => {
      const ticket = repository.add({ status: TicketStatus.InProgress });

      await sut.recordWorkflowStep(ticket.id, { status: TicketStatus.WaitingForUser }, { note: { step: 'ask_user' }, comment: 'Which VPN client?' });

      expect(repository.comments).toEqual([expect.objectContaining({ ticketId: ticket.id, authorId: null, body: 'Which VPN client?', internal: false })]);
      expect(lastEvent().payload).toMatchObject({ comment: 'Which VPN client?', step: 'ask_user' });
    });

    it('changes nothing unless the ticket is still in the status it requires, and applies the change when it is', async () => {
      const moved = repository.add({ status: TicketStatus.InProgress, nextAction: 'workflow_in_progress' });

      await expect(sut.recordWorkflowStep(moved.id, { nextAction: 'queued' }, { note: { step: 'queued' }, onlyIfStatus: TicketStatus.Pending }))
        .resolves.toMatchObject({ status: 'in_progress', next_action: 'workflow_in_progress' });
      nothingWritten();

      const waiting = repository.add();
      await expect(sut.recordWorkflowStep(waiting.id, { nextAction: 'queued' }, { note: { step: 'queued' }, onlyIfStatus: TicketStatus.Pending }))
        .resolves.toMatchObject({ status: 'pending', next_action: 'queued' });
      expect(lastEvent()).toMatchObject({ ticketId: waiting.id, payload: { step: 'queued', changes: { next_action: { from: 'workflow_starting', to: 'queued' } } } });
    });

    it.each(FINAL_STATUSES)('refuses to change a ticket a person closed (%s) with TicketClosedError, writing nothing', async (status) => {
      const ticket = repository.add({ status });

      const refused = sut.recordWorkflowStep(ticket.id, { status: TicketStatus.Resolved, decision: 'resolved' }, { note: { step: 'resolve' } });

      await expect(refused).rejects.toThrow(new TicketClosedError(ticket.id, status));
      await expect(refused).rejects.toMatchObject({ code: 'ticket_closed', ticketStatus: status, message: `Ticket ${ticket.id} was closed (${status}) while its workflow ran` });
      expect(stored(ticket.id)).toMatchObject({ status, decision: 'pending' });
      nothingWritten();
    });
  });

  describe('recordHumanResponse', () => {
    it('records an approval as a hil_response before the workflow_update that puts the ticket back in progress', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForApproval, decision: 'pending_approval', nextAction: 'awaiting_approval' });

      const updated = await sut.recordHumanResponse(ticket.id, approval(), { step: 'approval' });

      expect(updated).toMatchObject({ status: 'in_progress', decision: 'approved', next_action: 'workflow_in_progress' });
      expect(repository.events.map((event) => event.type)).toEqual(['hil_response', 'workflow_update']);
      expect(repository.events[0]).toMatchObject({ ticketId: ticket.id, type: 'hil_response', actorId: sam.id, staffOnly: false, payload: {
        kind: 'approval', approval: true, approver_id: 'EMP100', answer: null, comments: 'Granted for 30 days', responder_id: sam.id,
        responder_employee_id: 'EMP100' } });
      expect(lastEvent()).toMatchObject({ actorId: sam.id, payload: { status: 'in_progress', decision: 'approved', step: 'approval' } });
      expect(repository.comments).toEqual([]);
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.InProgress, sam.id, 2));
    });

    it('records a denial as denied', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForApproval });

      await expect(sut.recordHumanResponse(ticket.id, approval({ approval: false, answer: 'Not for contractors' }), { step: 'approval' }))
        .resolves.toMatchObject({ status: 'in_progress', decision: 'denied' });
      expect(repository.events[0].payload).toMatchObject({ kind: 'approval', approval: false, approver_id: 'EMP100', answer: 'Not for contractors' });
    });

    it('adds the requester’s answer to the conversation as their comment, with no approver', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForUser, decision: 'needs_info', nextAction: 'awaiting_requester_input' });

      await expect(sut.recordHumanResponse(ticket.id, answer, { step: 'ask_user' })).resolves.toMatchObject({ status: 'in_progress', decision: 'pending' });

      expect(repository.comments).toEqual([
        expect.objectContaining({ ticketId: ticket.id, authorId: alice.id, body: 'Since Monday, error 809', internal: false }),
      ]);
      expect(repository.events.map((event) => event.type)).toEqual(['hil_response', 'workflow_update']);
      expect(repository.events[0]).toMatchObject({ actorId: alice.id, payload: { kind: 'answer', approval: null, approver_id: null,
        answer: 'Since Monday, error 809', responder_id: alice.id, responder_employee_id: 'EMP001' } });
      expect(lastEvent().payload).toMatchObject({ comment: 'Since Monday, error 809', step: 'ask_user' });
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'insertComment', 'updateWithEvents']]);
    });

    it('writes an approval in one statement, without the lock’s read, when the ticket is still as the approver read it', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForApproval, decision: 'pending_approval', nextAction: 'awaiting_approval' });

      const updated = await sut.recordHumanResponse(ticket.id, approval(), { step: 'approval' }, toStaffView(ticket));

      expect(updated).toMatchObject({ status: 'in_progress', decision: 'approved', next_action: 'workflow_in_progress' });
      expect(repository.events.map((event) => event.type)).toEqual(['hil_response', 'workflow_update']);
      expect(lastEvent()).toMatchObject({ actorId: sam.id, payload: { status: 'in_progress', decision: 'approved', step: 'approval',
        changes: { status: { from: 'waiting_for_approval', to: 'in_progress' }, decision: { from: 'pending_approval', to: 'approved' } } } });
      expect(repository.transactions()).toEqual([['updateAsExpected']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.InProgress, sam.id, 2));
    });

    it('takes the locking path when the ticket changed since the approver read it, describing the ticket as it is', async () => {
      const ticket = repository.add({ status: TicketStatus.WaitingForApproval, decision: 'pending_approval', priority: TicketPriority.Medium });
      const read = toStaffView(ticket);
      Object.assign(repository.tickets.get(ticket.id)!, { priority: TicketPriority.High, updatedAt: new Date(ticket.updatedAt.getTime() + 5) });

      await sut.recordHumanResponse(ticket.id, approval(), { step: 'approval' }, read);

      expect(lastEvent().payload).toMatchObject({ status: 'in_progress', priority: 'high' });
      expect(repository.transactions()).toEqual([['updateAsExpected', 'findByIdForUpdate', 'updateWithEvents']]);
    });
  });

  describe('recordStaffQuestion', () => {
    const allowed = [TicketStatus.Escalated, TicketStatus.InProgress];

    it('puts the ticket to wait for its requester, with the question in the conversation by the one who asked', async () => {
      const ticket = repository.add({ status: TicketStatus.Escalated, decision: 'escalated', nextAction: 'support_queue' });

      const updated = await sut.recordStaffQuestion(ticket.id, sam.id, 'Which laptop model do you have?', allowed);

      expect(updated).toMatchObject({ status: 'waiting_for_user', decision: 'needs_info', next_action: 'awaiting_requester_input',
        plan_summary: 'Waiting for your answer to our question.' });
      expect(repository.comments).toEqual([
        expect.objectContaining({ ticketId: ticket.id, authorId: sam.id, body: 'Which laptop model do you have?', internal: false }),
      ]);
      expect(lastEvent()).toMatchObject({ type: 'workflow_update', actorId: sam.id, payload: { step: 'ask', comment: 'Which laptop model do you have?' } });
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'insertComment', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.WaitingForUser, sam.id));
    });

    it.each([TicketStatus.Pending, TicketStatus.WaitingForApproval, TicketStatus.WaitingForUser, TicketStatus.Resolved, TicketStatus.Error])(
      'refuses to ask while the ticket is %s with 409 naming where it can, writing nothing',
      async (status) => {
        const ticket = repository.add({ status });

        await expect(sut.recordStaffQuestion(ticket.id, sam.id, 'Which laptop?', allowed)).rejects.toThrow(
          new ConflictException(`Cannot ask the requester while the ticket is ${status}; that is possible when it is escalated or in_progress`),
        );
        expect(stored(ticket.id).status).toBe(status);
        nothingWritten();
      },
    );

    it('refuses to let staff ask on a ticket they filed themselves, writing nothing', async () => {
      const ticket = repository.add({ status: TicketStatus.Escalated, requesterId: sam.id });

      await expect(sut.recordStaffQuestion(ticket.id, sam.id, 'Which laptop?', allowed)).rejects.toThrow(ForbiddenException);
      await expect(sut.recordRetry(ticket.id, sam.id, [TicketStatus.Escalated])).rejects.toThrow(ForbiddenException);
      nothingWritten();
    });
  });

  describe('recordRetry', () => {
    const allowed = [TicketStatus.Error, TicketStatus.Escalated];

    it('puts the ticket back in progress for its run to try again', async () => {
      const ticket = repository.add({ status: TicketStatus.Error, decision: 'error', nextAction: 'support_review' });

      await expect(sut.recordRetry(ticket.id, sam.id, allowed)).resolves.toMatchObject({ status: 'in_progress', decision: 'pending',
        next_action: 'workflow_in_progress' });
      expect(lastEvent()).toMatchObject({ type: 'workflow_update', actorId: sam.id, payload: { step: 'retry',
        changes: { status: { from: 'error', to: 'in_progress' }, decision: { from: 'error', to: 'pending' } } } });
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'updateWithEvents']]);
      expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.InProgress, sam.id));
    });

    it.each([TicketStatus.Pending, TicketStatus.InProgress, TicketStatus.WaitingForUser, TicketStatus.Denied])(
      'refuses to retry while the ticket is %s with 409 naming where it can, writing nothing',
      async (status) => {
        const ticket = repository.add({ status });

        await expect(sut.recordRetry(ticket.id, sam.id, allowed)).rejects.toThrow(
          new ConflictException(`Cannot retry its workflow while the ticket is ${status}; that is possible when it is error or escalated`),
        );
        nothingWritten();
      },
    );
  });

  it('records a failed run as its detail for staff and a plain error for everybody, before the workflow_update that moves the ticket to error', async () => {
    const ticket = repository.add({ status: TicketStatus.InProgress, nextAction: 'workflow_in_progress' });

    await expect(sut.recordWorkflowError(ticket.id, 'The language model (gemini:gemini-2.5-flash) failed: 429 quota exceeded')).resolves.toMatchObject({
      status: 'error', decision: 'error', next_action: 'support_review' });
    expect(repository.events.map((event) => [event.type, event.actorId, event.staffOnly])).toEqual([
      ['error', null, true], ['error', null, false], ['workflow_update', null, false],
    ]);
    expect(repository.events[0].payload).toEqual({ message: 'The language model (gemini:gemini-2.5-flash) failed: 429 quota exceeded', internal: true });
    expect(repository.events[1].payload).toEqual({ message: REQUESTER_FAILURE_MESSAGE });
    expect(lastEvent().payload).toMatchObject({ status: 'error', step: 'error' });
    expect(JSON.stringify(lastEvent().payload)).not.toContain('quota');
    expect(repository.transactions()).toEqual([['findByIdForUpdate', 'updateWithEvents']]);
    expect(heard).toEqual(signalledChange(ticket.id, TicketStatus.Error, null, 3));
  });

  it.each([TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated, TicketStatus.Error])(
    'leaves a %s ticket as it is when a run fails: a person closed it, or it failed already',
    async (status) => {
      const ticket = repository.add({ status });

      await expect(sut.recordWorkflowError(ticket.id, 'model timed out')).resolves.toMatchObject({ status });
      nothingWritten();
    },
  );

  describe('recordSuggestion', () => {
    it('stores the suggestion and shows it to staff only on the stream, signalling the appended event only', async () => {
      const ticket = repository.add({ status: TicketStatus.Escalated });

      const updated = await sut.recordSuggestion(ticket.id, sam.id, suggestion);

      expect(updated.suggestion).toEqual(suggestion);
      expect(stored(ticket.id).suggestion).toEqual(suggestion);
      expect(repository.events).toEqual([expect.objectContaining({ ticketId: ticket.id, type: 'workflow_update', actorId: sam.id, staffOnly: true,
        payload: { status: 'escalated', decision: 'pending', plan_summary: null, next_action: 'workflow_starting', priority: 'medium',
          category: 'network', assignee_id: null, change: 'suggestion', suggestion } })]);
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'updateWithEvents']]);
      expect(heard).toEqual([{ signal: TICKET_EVENTS_APPENDED, value: undefined, afterCommit: true, recordedEvents: 1 }]);
    });

    it('answers 404 for a missing ticket, writing nothing', async () => {
      const missing = randomUUID();
      await expect(sut.recordSuggestion(missing, null, suggestion)).rejects.toThrow(new NotFoundException(`Ticket ${missing} not found`));
      nothingWritten();
    });
  });

  describe('recordIncidentStep', () => {
    const incidentId = randomUUID();
    /** What the workflow's first step and detection both write when a new report joins an open incident. */
    const joinOpen = {
      changes: { incidentId, status: TicketStatus.Escalated, decision: 'incident', planSummary: 'A known problem' },
      event: { type: TicketEventType.IncidentLinked, staffOnly: false, payload: { incident_id: incidentId } },
      comment: 'A known problem',
      joins: incidentId,
    };

    it('links a new report to the incident it joins, telling its requester', async () => {
      const ticket = repository.add();

      await expect(sut.recordIncidentStep(ticket.id, null, joinOpen)).resolves.toMatchObject({ incidentId, status: TicketStatus.Escalated });
      expect(repository.comments.map((comment) => comment.body)).toEqual(['A known problem']);
      expect(repository.events.filter((event) => event.type === TicketEventType.IncidentLinked)).toHaveLength(1);
    });

    it('leaves a report that is in the incident already as it is: the second of two linkers that decided at once writes nothing', async () => {
      const ticket = repository.add();
      await sut.recordIncidentStep(ticket.id, null, joinOpen);
      const [comments, events] = [repository.comments.length, repository.events.length];

      await expect(sut.recordIncidentStep(ticket.id, null, joinOpen)).resolves.toBeNull();
      expect([repository.comments.length, repository.events.length]).toEqual([comments, events]);
    });
  });
});
