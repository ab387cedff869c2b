// A workflow step's write on the real database: one compare-and-set statement when the run segment knows
// the ticket as it stands, the locking path when a person changed it meanwhile (the event then describes
// the ticket as it is, not as the segment remembered it), and nothing at all under a superseded claim.
// A person's approval takes the same compare-and-set, on the ticket as the approver read it.
import { TransactionHost } from '@nestjs-cls/transactional';
import { EmbeddingsRepository } from '../src/knowledge/embeddings.repository';
import { TicketDto } from '../src/tickets/dto/ticket.dto';
import { StaleClaimError } from '../src/tickets/ticket-errors';
import { TicketWriter } from '../src/tickets/ticket-writer.service';
import { TicketPriority, TicketStatus } from '../src/tickets/ticket.enums';
import { TicketsRepository } from '../src/tickets/tickets.repository';
import { TicketsService } from '../src/tickets/tickets.service';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { createTicket, patchTicket } from './support/tickets';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

describe('Workflow step writes (e2e)', () => {
  let testApp: TestApp;
  let employee: SignedIn;
  let support: SignedIn;
  let writer: TicketWriter;
  let tickets: TicketsService;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
    employee = await signUp(testApp.url);
    writer = testApp.app.get(TicketWriter);
    tickets = testApp.app.get(TicketsService);
  });
  afterAll(() => testApp?.close());

  /** A ticket whose run this test holds as a running segment would, under fence 1. */
  async function heldTicket(): Promise<TicketDto> {
    const { ticket_id: ticketId } = await createTicket(testApp.url, employee.token);
    await testApp.sql(`INSERT INTO workflow_runs (ticket_id, state, queued_at, fence) VALUES ($1, 'running', now(), 1)`, [ticketId]);
    return (await tickets.findById(ticketId))!;
  }
  const trail = async (ticketId: string) =>
    testApp.sql<{ type: string; payload: Record<string, any> }>(`SELECT type, payload FROM ticket_events WHERE ticket_id = $1 ORDER BY id`, [ticketId]);
  /** The ticket's last workflow_update: the service levels' projection may append events of its own after it. */
  const lastUpdate = async (ticketId: string) => (await trail(ticketId)).filter((event) => event.type === 'workflow_update').at(-1)!;

  it('writes a step the segment knows the ticket for, with its event, in one statement', async () => {
    const known = await heldTicket();
    const statements = jest.spyOn(testApp.app.get(TicketsRepository), 'updateAsExpected');
    const written = await writer.recordWorkflowStep(known.ticket_id, { status: TicketStatus.InProgress }, { note: { step: 'start' }, claimFence: 1, known });
    expect(statements).toHaveBeenCalledTimes(1);
    expect(await statements.mock.results[0].value).not.toBeNull();
    expect(written).toMatchObject({ status: 'in_progress', next_action: 'workflow_in_progress' });
    expect(await lastUpdate(known.ticket_id)).toEqual({
      type: 'workflow_update',
      payload: expect.objectContaining({ status: 'in_progress', step: 'start', change: 'updated', changes: { status: { from: 'pending', to: 'in_progress' }, next_action: expect.any(Object) } }),
    });
    statements.mockRestore();
  });

  it('takes the locking path when a person changed the ticket since the segment read it, describing the ticket as it is', async () => {
    const known = await heldTicket();
    await patchTicket(testApp.url, support.token, known.ticket_id, { category: 'security' }).expect(200);
    const written = await writer.recordWorkflowStep(known.ticket_id, { priority: TicketPriority.Low }, { note: { step: 'triage' }, claimFence: 1, known });
    expect(written).toMatchObject({ priority: 'low', category: 'security' });
    const update = await lastUpdate(known.ticket_id);
    // Described from the ticket as locked, not as the segment remembered it (category `access`).
    expect(update.payload).toMatchObject({ step: 'triage', category: 'security', priority: 'low', changes: { priority: { from: 'high', to: 'low' } } });
  });

  it('writes nothing under a superseded claim, whichever path it takes', async () => {
    const known = await heldTicket();
    await testApp.sql(`UPDATE workflow_runs SET fence = 2 WHERE ticket_id = $1`, [known.ticket_id]);
    const before = await trail(known.ticket_id);
    await expect(writer.recordWorkflowStep(known.ticket_id, { status: TicketStatus.InProgress }, { note: { step: 'start' }, claimFence: 1, known })).rejects.toBeInstanceOf(StaleClaimError);
    expect(await trail(known.ticket_id)).toEqual(before);
    expect((await tickets.findById(known.ticket_id))!.status).toBe('pending');
  });

  describe('an approval, on the ticket as the approver read it', () => {
    const approval = { kind: 'approval' as const, approval: true, answer: null, comments: 'Granted', responderEmployeeId: 'EMP100' };
    async function awaitingApproval(): Promise<TicketDto> {
      const { ticket_id: ticketId } = await createTicket(testApp.url, employee.token);
      await testApp.sql(`UPDATE tickets SET status = 'waiting_for_approval', decision = 'pending_approval' WHERE id = $1`, [ticketId]);
      return (await tickets.findById(ticketId))!;
    }

    it('is one statement while the ticket is still that', async () => {
      const known = await awaitingApproval();
      const statements = jest.spyOn(testApp.app.get(TicketsRepository), 'updateAsExpected');
      try {
        const written = await writer.recordHumanResponse(known.ticket_id, { ...approval, responderId: support.id }, { step: 'approval' }, known);
        expect(await statements.mock.results[0].value).not.toBeNull();
        expect(written).toMatchObject({ status: 'in_progress', decision: 'approved' });
      } finally {
        statements.mockRestore();
      }
      // The change's own events (the service levels' projection may append its own after them).
      const written = (await trail(known.ticket_id)).filter((event) => !event.type.startsWith('sla_'));
      expect(written.slice(-2).map((event) => event.type)).toEqual(['hil_response', 'workflow_update']);
    });

    it('takes the locking path when a person changed the ticket since, describing the ticket as it is', async () => {
      const known = await awaitingApproval();
      await patchTicket(testApp.url, support.token, known.ticket_id, { priority: 'low' }).expect(200);
      const statements = jest.spyOn(testApp.app.get(TicketsRepository), 'updateAsExpected');
      try {
        await writer.recordHumanResponse(known.ticket_id, { ...approval, responderId: support.id }, { step: 'approval' }, known);
        expect(await statements.mock.results[0].value).toBeNull();
      } finally {
        statements.mockRestore();
      }
      const update = await lastUpdate(known.ticket_id);
      expect(update.payload).toMatchObject({ status: 'in_progress', decision: 'approved', priority: 'low' });
    });
  });

  const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;
  onServer('holds a ticket without standing in the way of an insert that points at it (its vector): no wait, so no deadlock with the search index', async () => {
    const { ticket_id: ticketId } = await createTicket(testApp.url, employee.token);
    const txHost = testApp.app.get(TransactionHost);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = txHost.withTransaction(async () => {
      await writer.lockTicket(ticketId);
      locked();
      await released;
    });
    await isLocked;
    try {
      const stored = testApp.app.get(EmbeddingsRepository).upsertTicketEmbeddings([{ ticketId, embedding: new Array(768).fill(0.01) }], 'test-model');
      // A deadline only a blocked insert reaches; a FOR UPDATE lock on the ticket blocks it until the holder ends.
      const outcome = await Promise.race([stored.then(() => 'stored'), new Promise((resolve) => setTimeout(() => resolve('blocked'), 10_000))]);
      expect(outcome).toBe('stored');
    } finally {
      release();
      await holder;
    }
  });
});
