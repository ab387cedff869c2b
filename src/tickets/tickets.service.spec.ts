import type { AppConfig } from '../config/app-config';
import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { FakeAfterCommit, TransactionalFake } from '../../test/support/unit-transactions';
import { AfterCommit } from '../database/after-commit';
import { Role } from '../users/role.enum';
import { UsersService } from '../users/users.service';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto } from './dto/list-tickets.dto';
import { ListTicketEventsQueryDto } from './dto/ticket-event.dto';
import { TicketComment } from './ticket-comment.entity';
import { decodeCursor } from './ticket-cursor';
import { TicketEvent } from './ticket-event.entity';
import { TICKET_CREATED, TICKET_EVENTS_APPENDED, TICKET_UPDATED } from './ticket-signals';
import { REQUESTER_FAILURE_MESSAGE } from './ticket-audience';
import { TicketSuggestion } from './ticket-suggestion';
import { TicketWriter } from './ticket-writer.service';
import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from './ticket.enums';
import { Ticket } from './ticket.entity';
import { NewTicketEvent, TicketFilters, TicketPageRequest, TicketsRepository } from './tickets.repository';
import { TicketsService, Viewer } from './tickets.service';

interface Rows { tickets: Map<string, Ticket>; comments: TicketComment[]; events: TicketEvent[] }
import type { PageRequest } from '../common/keyset-cursor';

type Options<M extends 'findComments' | 'findEvents'> = Parameters<TicketsRepository[M]>[1];
const keep = <T>(rows: T[], row: T): T => (rows.push(row), { ...row });

/** In-memory tickets; it notes each call and the transaction it ran in, leaving the calls outside any out of `transactions()`. */
class FakeTicketsRepository extends TransactionalFake {
  readonly rows: Rows = { tickets: new Map(), comments: [], events: [] };

  constructor() {
    super({ outsideTransactions: 'leave out' });
  }

  insertTicketWithEvent = this.noted('insertTicketWithEvent', async (fields: Partial<Ticket>, event: Omit<NewTicketEvent, 'ticketId'>) => {
    const ticket = this.add(fields);
    keep(this.rows.events, { id: String(this.rows.events.length + 1), createdAt: new Date(), ticketId: ticket.id, ...event });
    return { ...ticket };
  });
  findById = this.noted('findById', async (id: string) => this.read(id));
  findByIdForUpdate = this.noted('findByIdForUpdate', async (id: string) => this.read(id));
  findByIdForUpdateWithHold = this.noted('findByIdForUpdateWithHold', async (id: string) => {
    const ticket = this.read(id);
    return ticket ? { ticket, hold: null } : null;
  });
  updateWithEvents = this.noted('updateWithEvents', async (id: string, changes: Partial<Ticket>, events: Array<Omit<NewTicketEvent, 'ticketId'>>) => {
    Object.assign(this.rows.tickets.get(id)!, changes, { updatedAt: new Date() });
    for (const fields of events) this.rows.events.push({ id: String(this.rows.events.length + 1), createdAt: new Date(), ticketId: id, ...fields });
    return this.read(id)!;
  });
  findPage = this.noted('findPage', async (filters: TicketFilters, page: TicketPageRequest) => {
    const matching = [...this.rows.tickets.values()].filter((t) => !filters.requesterId || t.requesterId === filters.requesterId);
    const start = page.after ? matching.findIndex((t) => t.id === page.after!.id) + 1 : page.offset;
    return { tickets: matching.slice(start, start + page.limit).map((t) => ({ ...t })), total: page.countTotal ? matching.length : undefined };
  });
  insertComment = this.noted('insertComment', async (fields: Pick<TicketComment, 'ticketId' | 'authorId' | 'body' | 'internal'>) =>
    keep(this.rows.comments, { id: randomUUID(), createdAt: new Date(), ...fields }));
  findComments = this.noted('findComments', async (ticketId: string, { includeInternal }: Options<'findComments'>, { limit, offset }: PageRequest) => {
    const visible = this.rows.comments.filter((c) => c.ticketId === ticketId && (includeInternal || !c.internal));
    return [visible.slice(offset, offset + limit), visible.length] as [TicketComment[], number];
  });
  appendEvent = this.noted('appendEvent', async (fields: NewTicketEvent) =>
    keep(this.rows.events, { id: String(this.rows.events.length + 1), createdAt: new Date(), ...fields }));
  appendEvents = this.noted('appendEvents', async (events: NewTicketEvent[]) => {
    for (const fields of events) keep(this.rows.events, { id: String(this.rows.events.length + 1), createdAt: new Date(), ...fields });
  });
  lastApprovalWasDenial = this.noted('lastApprovalWasDenial', async (ticketId: string) =>
    this.rows.events.filter((e) => e.ticketId === ticketId && e.type === 'hil_response' && e.payload.kind === 'approval' && typeof e.payload.approval === 'boolean').at(-1)?.payload.approval === false);
  findEvents = this.noted('findEvents', async (ticketId: string, { includeStaffOnly, after, limit }: Options<'findEvents'>) =>
    this.rows.events.filter((e) => e.ticketId === ticketId && Number(e.id) > after && (includeStaffOnly || !e.staffOnly)).slice(0, limit));

  add(fields: Partial<Ticket> = {}): Ticket {
    const ticket = { id: randomUUID(), title: 'VPN drops', description: 'Hourly', requestType: RequestType.Network, category: TicketCategory.Network,
      priority: TicketPriority.Medium, urgency: TicketUrgency.Normal, businessJustification: null, desiredCompletionDate: null,
      status: TicketStatus.Pending, decision: 'pending', planSummary: null, resolution: null, suggestion: null, nextAction: 'workflow_starting',
      requesterId: randomUUID(), employeeId: 'EMP001', assigneeId: null, createdAt: new Date(), updatedAt: new Date(), ...fields } as Ticket;
    this.rows.tickets.set(ticket.id, ticket);
    return ticket;
  }

  private read = (id: string): Ticket | null => (this.rows.tickets.has(id) ? { ...this.rows.tickets.get(id)! } : null);
}

const person = (role: Role, employeeId: string): Viewer & { fullName: string } => ({ id: randomUUID(), role, employeeId, fullName: `Person ${employeeId}` });
const [alice, bob] = [person(Role.User, 'EMP001'), person(Role.User, 'EMP002')];
const [sam, ada] = [person(Role.Support, 'EMP100'), person(Role.Admin, 'EMP200')];
const staff: Array<[string, Viewer]> = [['support', sam], ['admin', ada]];
const query = (fields: Partial<ListTicketsQueryDto> = {}) => Object.assign(new ListTicketsQueryDto(), fields);
const eventsPage = (fields: Partial<ListTicketEventsQueryDto> = {}) => Object.assign(new ListTicketEventsQueryDto(), fields);
const notFound = (id: string) => new NotFoundException(`Ticket ${id} not found`);
const appended = (recordedEvents: number) => ({ signal: TICKET_EVENTS_APPENDED, value: undefined, afterCommit: true, recordedEvents });

describe(TicketsService.name, () => {
  let sut: TicketsService;
  let repository: FakeTicketsRepository;
  let writer: TicketWriter;
  let afterCommit: FakeAfterCommit;
  let findActive: jest.Mock;
  /** Every signal emitted: whether it came through AfterCommit, and how many events were recorded when it was. */
  let heard: Array<{ signal: string; value: unknown; afterCommit: boolean; recordedEvents: number }>;

  beforeEach(() => {
    repository = new FakeTicketsRepository();
    afterCommit = new FakeAfterCommit();
    const activeUsers = new Map([alice, sam, ada].map((user) => [user.id, { id: user.id, role: user.role }]));
    findActive = jest.fn(async (id: string) => activeUsers.get(id) ?? null);
    const events = new EventEmitter2();
    heard = [];
    events.onAny((signal, value) =>
      heard.push({ signal: String(signal), value, afterCommit: afterCommit.running, recordedEvents: repository.rows.events.length }));
    writer = new TicketWriter(repository as unknown as TicketsRepository, events, afterCommit as unknown as AfterCommit, { workflow: { enabled: true } } as AppConfig);
    jest.spyOn(writer, 'changeByStaff');
    sut = new TicketsService(repository as unknown as TicketsRepository, writer, { findActive } as unknown as UsersService, { reopenOnReplyMs: 14 * 86_400_000 } as AppConfig);
  });

  const lastEvent = () => repository.rows.events.at(-1)!;
  const heardOf = (signal: string) => heard.filter((heardSignal) => heardSignal.signal === signal);
  const nothingWritten = () => {
    expect(repository.insertTicketWithEvent).not.toHaveBeenCalled();
    expect(repository.updateWithEvents).not.toHaveBeenCalled();
    expect([repository.rows.comments, repository.rows.events, heard]).toEqual([[], [], []]);
  };

  describe('create', () => {
    const dto = { title: 'Admin access', description: 'For the CRM', request_type: RequestType.SoftwareAccess } as CreateTicketDto;

    it('files a pending ticket for the viewer with the defaults and the event that opens its trail, in one statement, and only then signals it', async () => {
      const created = await sut.create(alice, dto);

      expect(created).toMatchObject({
        requester_id: alice.id, employee_id: 'EMP001', title: 'Admin access', category: 'access', priority: 'medium', urgency: 'normal',
        status: 'pending', decision: 'pending', next_action: 'workflow_starting', business_justification: null, assignee_id: null,
      });
      expect(repository.insertTicketWithEvent).toHaveBeenCalledTimes(1);
      expect(repository.insertTicketWithEvent.mock.calls[0][1]).toEqual({
        type: 'workflow_update', actorId: alice.id, staffOnly: false, payload: { status: 'pending', decision: 'pending',
          plan_summary: null, next_action: 'workflow_starting', priority: 'medium', category: 'access', assignee_id: null, change: 'created' },
      });
      expect(repository.rows.events).toEqual([expect.objectContaining({ ticketId: created.ticket_id, type: 'workflow_update' })]);
      expect(heardOf(TICKET_EVENTS_APPENDED)).toEqual([appended(1)]);
      expect(heardOf(TICKET_CREATED)).toEqual([{ signal: TICKET_CREATED, value: { ticketId: created.ticket_id, text: { title: 'Admin access', description: 'For the CRM', resolution: null } }, afterCommit: true, recordedEvents: 1 }]);
    });

    it.each([
      [RequestType.PasswordReset, {}, { category: 'account', priority: 'medium', urgency: 'normal' }],
      [RequestType.Hardware, { category: TicketCategory.Security, priority: TicketPriority.Critical, urgency: TicketUrgency.Urgent },
        { category: 'security', priority: 'critical', urgency: 'urgent' }],
    ])('files a %s request with what was asked for, or the defaults', async (requestType, asked, expected) => {
      await expect(sut.create(alice, { ...dto, request_type: requestType, ...asked })).resolves.toMatchObject(expected);
    });

    it('signals nothing when filing fails', async () => {
      repository.failNext('insertTicketWithEvent', new Error('disk full'));

      await expect(sut.create(alice, dto)).rejects.toThrow('disk full');
      expect(afterCommit.run).not.toHaveBeenCalled();
      expect(heard).toEqual([]);
    });
  });

  describe('list', () => {
    it('keeps a user to their own tickets whatever they filter on', async () => {
      const [own] = [repository.add({ requesterId: alice.id }), repository.add({ requesterId: bob.id })];

      const page = await sut.list(alice, query({ employee_id: 'EMP002', status: TicketStatus.Pending, q: 'vpn' }));

      expect(page).toEqual({ tickets: [expect.objectContaining({ ticket_id: own.id })], count: 1, next_cursor: null });
      expect(repository.findPage).toHaveBeenCalledWith(
        expect.objectContaining({ requesterId: alice.id, employeeId: 'EMP002', status: TicketStatus.Pending, text: 'vpn' }),
        { sort: '-created_at', limit: 20, offset: 0, after: undefined, countTotal: false },
      );
    });

    it('counts every match only when asked to', async () => {
      [alice, bob, alice].forEach((requester) => repository.add({ requesterId: requester.id }));

      await expect(sut.list(sam, query({ limit: 1, include_total: true }))).resolves.toMatchObject({ count: 1, total: 3 });
      expect(repository.findPage).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ countTotal: true }));
    });

    it.each(staff)("shows %s every requester's tickets, ignoring an empty search", async (_, viewer) => {
      [alice, bob].forEach((requester) => repository.add({ requesterId: requester.id }));
      await expect(sut.list(viewer, query({ q: '' }))).resolves.toMatchObject({ count: 2 });
      expect(repository.findPage).toHaveBeenCalledWith(expect.objectContaining({ requesterId: undefined, text: undefined }), expect.anything());
    });

    it('refuses a cursor together with an offset, before reading anything', async () => {
      await expect(sut.list(sam, query({ cursor: 'abc', offset: 1 }))).rejects.toThrow(
        new BadRequestException('Use either cursor or offset, not both'),
      );
      expect(repository.findPage).not.toHaveBeenCalled();
    });

    it('gives a cursor to the last ticket of a full page only, and the next page starts after it', async () => {
      const [, second, third] = [repository.add(), repository.add(), repository.add()];
      const position = { value: second.createdAt.toISOString(), id: second.id };

      const first = await sut.list(sam, query({ limit: 2 }));
      expect(decodeCursor(first.next_cursor!, '-created_at')).toEqual(position);
      const rest = await sut.list(sam, query({ limit: 2, cursor: first.next_cursor!, include_total: true }));

      expect(repository.findPage).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ after: position }));
      expect(rest).toEqual({ tickets: [expect.objectContaining({ ticket_id: third.id })], count: 1, total: 3, next_cursor: null });
    });
  });

  describe('visibility', () => {
    it.each<[string, Viewer]>([['its requester', alice], ...staff])('shows a ticket to %s', async (_, viewer) => {
      const ticket = repository.add({ requesterId: alice.id });
      await expect(sut.get(viewer, ticket.id)).resolves.toMatchObject({ ticket_id: ticket.id, requester_id: alice.id });
      await expect(sut.assertVisible(viewer, ticket.id)).resolves.toBeUndefined();
    });

    it.each<[string, (id: string) => Promise<unknown>]>([
      ['get', (id) => sut.get(bob, id)],
      ['assertVisible', (id) => sut.assertVisible(bob, id)],
      ['addComment', (id) => sut.addComment(bob, id, { body: 'Me too' })],
      ['listComments', (id) => sut.listComments(bob, id, { limit: 20, offset: 0 })],
      ['listEvents', (id) => sut.listEvents(bob, id, eventsPage())],
    ])("answers %s on someone else's ticket exactly as on a missing one", async (_, call) => {
      const [ticket, missing] = [repository.add({ requesterId: alice.id }), randomUUID()];

      await expect(call(ticket.id)).rejects.toThrow(notFound(ticket.id));
      await expect(call(missing)).rejects.toThrow(notFound(missing));
      expect(repository.findByIdForUpdate).not.toHaveBeenCalled();
      nothingWritten();
    });
  });

  describe('audience', () => {
    const suggestion: TicketSuggestion = {
      summary: 'Reset the profile in the VPN admin console', steps: ['Open the console'], citations: [], confidence: 0.7, provider: 'offline',
      suggested_at: '2025-01-01T00:00:00.000Z',
    };

    it('gives the requester their ticket without the suggestion — on filing, in the detail and in the list — and staff with it', async () => {
      const ticket = repository.add({ requesterId: alice.id, suggestion });

      const asRequester = [await sut.create(alice, { title: 'VPN', description: 'Drops', request_type: RequestType.Network } as CreateTicketDto),
        await sut.get(alice, ticket.id), ...(await sut.list(alice, query())).tickets];
      for (const view of asRequester) expect(view).not.toHaveProperty('suggestion');
      for (const [, viewer] of staff) {
        await expect(sut.get(viewer, ticket.id)).resolves.toMatchObject({ suggestion });
        expect((await sut.list(viewer, query())).tickets.find((listed) => listed.ticket_id === ticket.id)?.suggestion).toEqual(suggestion);
      }
      // The system's own reads (the workflow, indexing) see every field.
      await expect(sut.findById(ticket.id)).resolves.toMatchObject({ suggestion });
    });

    it("keeps the suggestion's event and a failure's detail out of the requester's audit trail", async () => {
      const ticket = repository.add({ requesterId: alice.id, status: TicketStatus.InProgress, nextAction: 'workflow_in_progress' });
      await writer.recordSuggestion(ticket.id, sam.id, suggestion);
      await writer.recordWorkflowError(ticket.id, 'connect ECONNREFUSED 10.0.4.2:5432');

      const requesters = (await sut.listEvents(alice, ticket.id, eventsPage())).events;
      const staffs = (await sut.listEvents(sam, ticket.id, eventsPage())).events;

      expect(requesters.map((event) => [event.type, event.payload.message ?? event.payload.status])).toEqual([
        ['error', REQUESTER_FAILURE_MESSAGE], ['workflow_update', 'error'],
      ]);
      expect(JSON.stringify(requesters)).not.toMatch(/ECONNREFUSED|admin console/);
      expect(staffs.map((event) => event.payload.change ?? event.payload.message)).toEqual([
        'suggestion', 'connect ECONNREFUSED 10.0.4.2:5432', REQUESTER_FAILURE_MESSAGE, 'updated',
      ]);
    });
  });

  describe('update', () => {
    it('refuses an empty change, or a missing ticket, writing nothing', async () => {
      const missing = randomUUID();
      await expect(sut.update(sam, repository.add().id, {})).rejects.toThrow(
        new BadRequestException('Nothing to update: give status, priority, category, assignee_id or comment'),
      );
      expect(writer.changeByStaff).not.toHaveBeenCalled();
      await expect(sut.update(sam, missing, { priority: TicketPriority.Low })).rejects.toThrow(notFound(missing));
      nothingWritten();
    });

    it.each([['an unknown user', randomUUID()], ['a plain user', alice.id]])('refuses to assign the ticket to %s', async (_, assigneeId) => {
      await expect(sut.update(sam, repository.add().id, { assignee_id: assigneeId })).rejects.toThrow(
        new BadRequestException('assignee_id must be an active support or admin user'),
      );
      expect(findActive).toHaveBeenCalledWith(assigneeId);
      expect(writer.changeByStaff).not.toHaveBeenCalled();
      nothingWritten();
    });

    it('assigns to an active admin, and unassigns with null without looking anyone up', async () => {
      const ticket = repository.add();
      await expect(sut.update(sam, ticket.id, { assignee_id: ada.id })).resolves.toMatchObject({ assignee_id: ada.id });
      await expect(sut.update(sam, ticket.id, { assignee_id: null })).resolves.toMatchObject({ assignee_id: null });
      expect(findActive.mock.calls).toEqual([[ada.id]]);
      expect(lastEvent().payload.changes).toEqual({ assignee_id: { from: ada.id, to: null } });
    });

    it('hands the fields and the comment to the ticket writer as a change by the signed-in staff member', async () => {
      const ticket = repository.add({ status: TicketStatus.InProgress, nextAction: 'workflow_in_progress' });

      const updated = await sut.update(ada, ticket.id, { status: TicketStatus.Resolved, category: TicketCategory.Software, comment: 'Reinstalled the client' });

      expect(writer.changeByStaff).toHaveBeenCalledWith(ada.id, ticket.id,
        { status: TicketStatus.Resolved, priority: undefined, category: TicketCategory.Software, assigneeId: undefined }, 'Reinstalled the client');
      expect(updated).toMatchObject({ status: 'resolved', category: 'software', resolution: 'Reinstalled the client', next_action: 'none' });
      expect(lastEvent()).toMatchObject({ actorId: ada.id, payload: { change: 'updated', comment: 'Reinstalled the client' } });
      expect(heard.map((heardSignal) => heardSignal.signal)).toEqual([TICKET_EVENTS_APPENDED, TICKET_UPDATED]);
    });
  });

  describe('comments', () => {
    it("adds the requester's comment for everyone to see", async () => {
      const ticket = repository.add({ requesterId: alice.id });

      const comment = await sut.addComment(alice, ticket.id, { body: 'Still broken' });

      expect(comment).toEqual({ comment_id: expect.any(String), ticket_id: ticket.id, author_id: alice.id, author_name: alice.fullName, body: 'Still broken', internal: false,
        created_at: expect.any(Date) });
      expect(lastEvent()).toMatchObject({ type: 'comment', actorId: alice.id, staffOnly: false,
        payload: { comment_id: comment.comment_id, author_id: alice.id, body: 'Still broken', internal: false } });
      // Seen first outside the transaction; then locked, written and recorded in it.
      expect(repository.transactions()).toEqual([['findByIdForUpdate', 'insertComment', 'appendEvent']]);
      expect(heard).toEqual([appended(1)]);
    });

    it('forbids a user from writing an internal note, writing and signalling nothing', async () => {
      const ticket = repository.add({ requesterId: alice.id });
      await expect(sut.addComment(alice, ticket.id, { body: 'Psst', internal: true })).rejects.toThrow(
        new ForbiddenException('Only support and admin can write internal notes'),
      );
      expect(repository.findByIdForUpdate).not.toHaveBeenCalled();
      nothingWritten();
    });

    it('lets support add internal notes, staff-only on the stream and hidden from the requester', async () => {
      const [ticket, page] = [repository.add({ requesterId: alice.id }), { limit: 20, offset: 0 }];
      await sut.addComment(alice, ticket.id, { body: 'Still broken' });
      await expect(sut.addComment(sam, ticket.id, { body: 'Check licences', internal: true })).resolves.toMatchObject({ internal: true });
      expect(lastEvent()).toMatchObject({ type: 'comment', actorId: sam.id, staffOnly: true, payload: { internal: true } });

      await expect(sut.listComments(alice, ticket.id, page)).resolves.toMatchObject({ comments: [{ body: 'Still broken' }], count: 1, total: 1 });
      await expect(sut.listComments(sam, ticket.id, page)).resolves.toMatchObject({ count: 2, total: 2 });
      expect(repository.findComments.mock.calls).toEqual([
        [ticket.id, { includeInternal: false }, { ...page, after: undefined }], [ticket.id, { includeInternal: true }, { ...page, after: undefined }],
      ]);
    });
  });

  it('lists the events a viewer may see, offering next_after only after a full page', async () => {
    const ticket = repository.add({ requesterId: alice.id });
    for (const internal of [false, true, false, false]) await sut.addComment(internal ? sam : alice, ticket.id, { body: 'Hi', internal });

    await expect(sut.listEvents(sam, ticket.id, eventsPage())).resolves.toMatchObject({ count: 4, next_after: null });
    await expect(sut.listEvents(alice, ticket.id, eventsPage({ limit: 2 }))).resolves.toMatchObject({
      events: [{ id: '1', ticket_id: ticket.id, type: 'comment', actor_id: alice.id }, { id: '3' }], count: 2, next_after: '3',
    });
    await expect(sut.listEvents(alice, ticket.id, eventsPage({ after: 3, limit: 2 }))).resolves.toMatchObject({
      events: [{ id: '4' }], next_after: null,
    });
  });
});
