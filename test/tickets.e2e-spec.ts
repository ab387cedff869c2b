import request from 'supertest';
import { bootTestApp, WITHOUT_WORKFLOW, TestApp } from './support/test-app';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { createTicket, NEW_TICKET, patchTicket } from './support/tickets';

type Ticket = { ticket_id: string } & Record<string, unknown>;

describe('Tickets (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    url = testApp.url;
    admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
  });
  afterAll(() => testApp.close());

  const get = (token: string, path: string) => request(url).get(`/api/v1${path}`).auth(token, { type: 'bearer' });
  const ids = (body: { tickets: Ticket[] }) => body.tickets.map((ticket) => ticket.ticket_id);

  describe('POST /tickets', () => {
    it('files a ticket for the caller with the Local IT Support API’s fields, pending, category from the request type', async () => {
      const ticket = await createTicket(url, alice.token);
      expect(ticket).toEqual({
        ticket_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ...NEW_TICKET,
        desired_completion_date: '2030-01-15T00:00:00.000Z',
        category: 'access',
        status: 'pending',
        decision: 'pending',
        plan_summary: null,
        resolution: null,
        next_action: 'workflow_starting',
        follow_up_of: null,
        incident_id: null,
        reply_reopens_until: null,
        requester_id: alice.id,
        employee_id: alice.employeeId,
        assignee_id: null,
        requester: { user_id: alice.id, name: 'Test User' },
        assignee: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('fills defaults for priority, urgency and category', async () => {
      const ticket = await createTicket(url, alice.token, { priority: undefined, urgency: undefined, request_type: 'password_reset' });
      expect(ticket).toMatchObject({ priority: 'medium', urgency: 'normal', category: 'account' });
    });

    it.each([
      ['requester_id', { requester_id: '00000000-0000-4000-8000-000000000000' }],
      ['status', { status: 'resolved' }],
      ['ticket_id', { ticket_id: '00000000-0000-4000-8000-000000000000' }],
      ['employee_id', { employee_id: 'EMP-SOMEONE-ELSE' }],
      ['decision', { decision: 'approved' }],
    ])('refuses mass assignment of %s with 400 and stores nothing', async (field, extra) => {
      const before = (await get(admin.token, '/tickets?limit=1&include_total=true').expect(200)).body.total;
      const response = await request(url).post('/api/v1/tickets').auth(bob.token, { type: 'bearer' }).send({ ...NEW_TICKET, ...extra }).expect(400);
      expect(response.body.message).toContain(`Unknown field: ${field}`);
      expect(response.body.errors).toContainEqual({ field, message: `Unknown field: ${field}` });
      expect((await get(admin.token, '/tickets?limit=1&include_total=true').expect(200)).body.total).toBe(before);
    });

    it('says what is wrong with each field as a person would, once per field, with the field named in `errors`', async () => {
      const response = await request(url)
        .post('/api/v1/tickets')
        .auth(alice.token, { type: 'bearer' })
        .send({ title: '   ', description: 'x', request_type: 'coffee', priority: 'urgent', desired_completion_date: 'tomorrow' })
        .expect(400);
      const errors = [
        { field: 'title', message: 'Give your request a title' },
        { field: 'request_type', message: 'Choose a request type: software_access, hardware, network, account_access, password_reset, question or other' },
        { field: 'priority', message: 'Choose a priority: low, medium, high or critical' },
        { field: 'desired_completion_date', message: 'Desired completion date must be a date, like 2026-05-31 or 2026-05-31T17:00:00Z, from the year 1 to 9999' },
      ];
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: errors.map((error) => error.message),
        detail: errors.map((error) => error.message).join('; '),
        errors,
      });
    });

    it('says a missing title, an over-long one and one that is not text each in its own words', async () => {
      const send = (title: unknown) => request(url).post('/api/v1/tickets').auth(alice.token, { type: 'bearer' }).send({ ...NEW_TICKET, title }).expect(400);
      expect((await send(undefined)).body.errors).toEqual([{ field: 'title', message: 'Give your request a title' }]);
      expect((await send('x'.repeat(201))).body.errors).toEqual([{ field: 'title', message: 'The title can be at most 200 characters' }]);
      expect((await send(42)).body.errors).toEqual([{ field: 'title', message: 'The title must be text' }]);
    });

    it('needs a token', async () => {
      await request(url).post('/api/v1/tickets').send(NEW_TICKET).expect(401);
    });
  });

  describe('GET /tickets', () => {
    let mine: Ticket[];
    let bobs: Ticket[];

    beforeAll(async () => {
      mine = [
        await createTicket(url, alice.token, { title: 'VPN drops every hour', description: 'The VPN client disconnects', request_type: 'network', priority: 'low' }),
        await createTicket(url, alice.token, { title: 'Laptop screen flickers', description: 'Display problem', request_type: 'hardware', priority: 'critical' }),
      ];
      bobs = [await createTicket(url, bob.token, { title: 'Printer jammed', description: 'Paper stuck in printer', request_type: 'hardware', priority: 'medium' })];
    });

    it('shows a user only their own tickets, whatever they filter on', async () => {
      const own = await get(alice.token, '/tickets?limit=100').expect(200);
      expect(own.body.tickets.every((ticket: Ticket) => ticket.requester_id === alice.id)).toBe(true);
      expect(ids(own.body)).toEqual(expect.arrayContaining(mine.map((t) => t.ticket_id)));
      expect(ids(own.body)).not.toContain(bobs[0].ticket_id);
      const sneaky = await get(alice.token, `/tickets?employee_id=${bob.employeeId}&include_total=true`).expect(200);
      expect(sneaky.body).toEqual({ tickets: [], count: 0, total: 0, next_cursor: null });
    });

    it('shows support and admin every ticket, and filters by employee_id as the Local IT Support API does', async () => {
      for (const token of [support.token, admin.token]) {
        const all = await get(token, '/tickets?limit=100').expect(200);
        expect(ids(all.body)).toEqual(expect.arrayContaining([...mine, ...bobs].map((t) => t.ticket_id)));
      }
      const bobsOnly = await get(support.token, `/tickets?employee_id=${bob.employeeId}&status=pending&include_total=true`).expect(200);
      expect(bobsOnly.body).toMatchObject({ count: 1, total: 1 });
      expect(bobsOnly.body.tickets[0]).toMatchObject({ ticket_id: bobs[0].ticket_id, title: 'Printer jammed', status: 'pending', employee_id: bob.employeeId, request_type: 'hardware', priority: 'medium' });
    });

    it.each([
      ['priority=critical', ['Laptop screen flickers']],
      ['request_type=network', ['VPN drops every hour']],
      ['category=hardware', ['Laptop screen flickers', 'Printer jammed']],
      ['q=vpn', ['VPN drops every hour']],
      ['q=printers', ['Printer jammed']],
      ['q=jam', ['Printer jammed']],
    ])('filters by %s', async (query, titles) => {
      const response = await get(support.token, `/tickets?${query}&limit=100`).expect(200);
      const found = response.body.tickets.map((ticket: Ticket) => ticket.title).filter((title: string) => [...mine, ...bobs].some((t) => t.title === title));
      expect(found.sort()).toEqual([...titles].sort());
    });

    it('filters by assignee_id: exactly the tickets assigned to that person', async () => {
      const [supportA, supportB] = [await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support')];
      const [firstOfA, secondOfA, ofB] = [await createTicket(url, alice.token), await createTicket(url, bob.token), await createTicket(url, alice.token)];
      await createTicket(url, alice.token); // unassigned
      for (const [ticket, assignee] of [[firstOfA, supportA], [secondOfA, supportA], [ofB, supportB]] as const) {
        await patchTicket(url, admin.token, ticket.ticket_id, { assignee_id: assignee.id }).expect(200);
      }
      const response = await get(support.token, `/tickets?assignee_id=${supportA.id}&limit=100&include_total=true`).expect(200);
      expect(response.body.total).toBe(2);
      expect(ids(response.body).sort()).toEqual([firstOfA.ticket_id, secondOfA.ticket_id].sort());
      expect(response.body.tickets.map((ticket: Ticket) => ticket.assignee_id)).toEqual([supportA.id, supportA.id]);
    });

    it('filters by status and creation time', async () => {
      const [first] = mine;
      await patchTicket(url, support.token, first.ticket_id, { status: 'in_progress' }).expect(200);
      const inProgress = await get(alice.token, '/tickets?status=in_progress').expect(200);
      expect(ids(inProgress.body)).toEqual([first.ticket_id]);
      const future = await get(alice.token, '/tickets?created_after=2100-01-01T00:00:00Z&include_total=true').expect(200);
      expect(future.body.total).toBe(0);
      const past = await get(alice.token, '/tickets?created_before=2000-01-01&include_total=true').expect(200);
      expect(past.body.total).toBe(0);
      const window = await get(alice.token, `/tickets?created_after=${encodeURIComponent(String(first.created_at))}&created_before=2100-01-01`).expect(200);
      expect(ids(window.body)).toContain(first.ticket_id);
    });

    it('pages with a cursor through every ticket exactly once, in order', async () => {
      for (let i = 0; i < 5; i++) await createTicket(url, bob.token, { title: `Bulk ${i}`, priority: ['low', 'medium', 'high'][i % 3] });
      for (const sort of ['-created_at', 'created_at', 'priority', '-priority', '-updated_at']) {
        const all = await get(support.token, `/tickets?limit=100&sort=${sort}&include_total=true`).expect(200);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: request.Response = await get(support.token, `/tickets?limit=3&include_total=true&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
          expect(page.body.total).toBe(all.body.total);
          seen.push(...ids(page.body));
          cursor = page.body.next_cursor;
        } while (cursor);
        expect(seen).toEqual(ids(all.body));
      }
    });

    it('pages with offset, and sorts by priority highest first', async () => {
      const all = await get(support.token, '/tickets?limit=100&sort=-priority').expect(200);
      const order = ['critical', 'high', 'medium', 'low'];
      const ranks = all.body.tickets.map((ticket: Ticket) => order.indexOf(String(ticket.priority)));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      const page = await get(support.token, '/tickets?limit=2&offset=2&sort=-priority').expect(200);
      expect(ids(page.body)).toEqual(ids(all.body).slice(2, 4));
    });

    it('answers total only when asked, counting every match over all pages', async () => {
      const all = await get(support.token, '/tickets?limit=100').expect(200);
      expect(all.body).not.toHaveProperty('total');
      const counted = await get(support.token, '/tickets?limit=1&include_total=1').expect(200);
      expect(counted.body).toMatchObject({ count: 1, total: all.body.count });
      expect((await get(support.token, '/tickets?limit=1&include_total=false').expect(200)).body).not.toHaveProperty('total');
      expect((await get(support.token, '/tickets?include_total=yes').expect(400)).body.message).toContain('include_total must be true or false');
    });

    it.each(['limit=101', 'limit=0', 'offset=-1', 'status=open', 'sort=title', 'cursor=@@@', 'cursor=WyJ4Il0', 'created_after=yesterday', 'owner=me'])(
      'refuses %s with 400',
      async (query) => {
        const response = await get(support.token, `/tickets?${query}`).expect(400);
        expect(response.body.detail).toEqual(expect.any(String));
      },
    );

    it('refuses a cursor together with an offset, or from another sort', async () => {
      const first = await get(support.token, '/tickets?limit=1').expect(200);
      await get(support.token, `/tickets?limit=1&offset=1&cursor=${first.body.next_cursor}`).expect(400);
      const wrongSort = await get(support.token, `/tickets?limit=1&sort=priority&cursor=${first.body.next_cursor}`).expect(400);
      expect(wrongSort.body.detail).toBe('cursor belongs to sort=-created_at; repeat that sort to use it');
    });
  });

  describe('GET /tickets/{id}', () => {
    it('shows a ticket to its requester and to support, and answers 404 to anybody else', async () => {
      const ticket = await createTicket(url, alice.token);
      await get(alice.token, `/tickets/${ticket.ticket_id}`).expect(200);
      await get(support.token, `/tickets/${ticket.ticket_id}`).expect(200);
      const hidden = await get(bob.token, `/tickets/${ticket.ticket_id}`).expect(404);
      const missing = await get(bob.token, '/tickets/00000000-0000-4000-8000-000000000000').expect(404);
      expect(hidden.body.detail).toBe(`Ticket ${ticket.ticket_id} not found`);
      expect(missing.body.statusCode).toBe(404);
      await get(bob.token, '/tickets/not-a-uuid').expect(400);
    });
  });

  describe('PATCH /tickets/{id}', () => {
    let ticket: Ticket;
    beforeEach(async () => {
      ticket = await createTicket(url, alice.token);
    });

    it('is for support and admin: a user gets 403, even on their own ticket', async () => {
      const response = await patchTicket(url, alice.token, ticket.ticket_id, { status: 'resolved' }).expect(403);
      expect(response.body.detail).toBe('This action requires the role support or admin');
      expect((await get(alice.token, `/tickets/${ticket.ticket_id}`)).body.status).toBe('pending');
    });

    it('moves the status along the transition table and sets next_action', async () => {
      const working = await patchTicket(url, support.token, ticket.ticket_id, { status: 'in_progress' }).expect(200);
      expect(working.body).toMatchObject({ status: 'in_progress', next_action: 'workflow_in_progress' });
      const waiting = await patchTicket(url, admin.token, ticket.ticket_id, { status: 'waiting_for_approval' }).expect(200);
      expect(waiting.body).toMatchObject({ status: 'waiting_for_approval', next_action: 'awaiting_approval' });
      const resolved = await patchTicket(url, support.token, ticket.ticket_id, { status: 'resolved', comment: 'Access granted for 30 days' }).expect(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Access granted for 30 days', next_action: 'none' });
    });

    it('refuses an illegal transition with 409 naming both states, and changes nothing', async () => {
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'denied' }).expect(200);
      const response = await patchTicket(url, support.token, ticket.ticket_id, { status: 'waiting_for_user', priority: 'low' }).expect(409);
      expect(response.body.detail).toMatch(/^Cannot move a ticket from denied to waiting_for_user; from denied it can go to: in_progress$/);
      expect((await get(support.token, `/tickets/${ticket.ticket_id}`)).body).toMatchObject({ status: 'denied', priority: 'high' });
    });

    it('assigns to support or admin users only, and unassigns with null', async () => {
      const assigned = await patchTicket(url, admin.token, ticket.ticket_id, { assignee_id: support.id, priority: 'critical', category: 'security' }).expect(200);
      expect(assigned.body).toMatchObject({ assignee_id: support.id, priority: 'critical', category: 'security' });
      const toUser = await patchTicket(url, admin.token, ticket.ticket_id, { assignee_id: bob.id }).expect(400);
      expect(toUser.body.detail).toBe('assignee_id must be an active support or admin user');
      await patchTicket(url, admin.token, ticket.ticket_id, { assignee_id: '00000000-0000-4000-8000-000000000000' }).expect(400);
      const unassigned = await patchTicket(url, admin.token, ticket.ticket_id, { assignee_id: null }).expect(200);
      expect(unassigned.body.assignee_id).toBeNull();
      const byAssignee = await get(support.token, `/tickets?assignee_id=${support.id}`).expect(200);
      expect(ids(byAssignee.body)).not.toContain(ticket.ticket_id);
    });

    it('refuses unknown fields, fields it may not change, and an empty body with 400', async () => {
      for (const body of [{ title: 'New title' }, { requester_id: bob.id }, { decision: 'approved' }, {}, { status: 'closed' }]) {
        const response = await patchTicket(url, support.token, ticket.ticket_id, body);
        expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      }
      await patchTicket(url, support.token, '00000000-0000-4000-8000-000000000000', { status: 'in_progress' }).expect(404);
    });
  });

  describe('comments', () => {
    it('lets the requester and support talk, hides internal notes from the requester, and 404s strangers', async () => {
      const ticket = await createTicket(url, alice.token);
      const path = `/api/v1/tickets/${ticket.ticket_id}/comments`;
      const question = await request(url).post(path).auth(alice.token, { type: 'bearer' }).send({ body: 'Any news?' }).expect(201);
      expect(question.body).toMatchObject({ ticket_id: ticket.ticket_id, author_id: alice.id, body: 'Any news?', internal: false });
      await request(url).post(path).auth(support.token, { type: 'bearer' }).send({ body: 'Checking with the DBA team' }).expect(201);
      await request(url).post(path).auth(support.token, { type: 'bearer' }).send({ body: 'Needs manager sign-off', internal: true }).expect(201);
      const forbidden = await request(url).post(path).auth(alice.token, { type: 'bearer' }).send({ body: 'psst', internal: true }).expect(403);
      expect(forbidden.body.detail).toBe('Only support and admin can write internal notes');

      const asRequester = await request(url).get(path).auth(alice.token, { type: 'bearer' }).expect(200);
      expect(asRequester.body.comments.map((c: { body: string }) => c.body)).toEqual(['Any news?', 'Checking with the DBA team']);
      expect(asRequester.body.total).toBe(2);
      const asSupport = await request(url).get(`${path}?limit=2&offset=1`).auth(support.token, { type: 'bearer' }).expect(200);
      expect(asSupport.body).toMatchObject({ count: 2, total: 3 });
      expect(asSupport.body.comments.map((c: { body: string }) => c.body)).toEqual(['Checking with the DBA team', 'Needs manager sign-off']);

      await request(url).get(path).auth(bob.token, { type: 'bearer' }).expect(404);
      await request(url).post(path).auth(bob.token, { type: 'bearer' }).send({ body: 'hello' }).expect(404);
      await request(url).post(path).auth(alice.token, { type: 'bearer' }).send({ body: '' }).expect(400);
    });
  });

  describe('a requester’s reply after the ticket was resolved', () => {
    const comment = (token: string, ticketId: string, body: string) =>
      request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(token, { type: 'bearer' }).send({ body }).expect(201);
    async function resolvedTicket(): Promise<string> {
      const ticket = await createTicket(url, alice.token);
      await patchTicket(url, support.token, ticket.ticket_id, { assignee_id: support.id, status: 'in_progress' }).expect(200);
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'resolved', comment: 'Reinstalled the client' }).expect(200);
      return ticket.ticket_id;
    }

    it('reopens it into the support queue, its assignee kept, with an event saying why', async () => {
      const ticketId = await resolvedTicket();
      await comment(alice.token, ticketId, 'It broke again this morning.');
      const ticket = (await get(support.token, `/tickets/${ticketId}`).expect(200)).body;
      expect(ticket).toMatchObject({ status: 'escalated', assignee_id: support.id, next_action: 'support_queue' });
      const trail = (await get(alice.token, `/tickets/${ticketId}/events`).expect(200)).body.events;
      expect(trail.slice(-2).map((event: { type: string }) => event.type)).toEqual(['comment', 'workflow_update']);
      expect(trail.at(-1)).toMatchObject({ actor_id: alice.id, payload: { status: 'escalated', reopened: 'The requester replied after it was resolved' } });
    });

    it('does not reopen for support’s comment or an internal note', async () => {
      const ticketId = await resolvedTicket();
      await comment(support.token, ticketId, 'Glad it works.');
      await request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'closing note', internal: true }).expect(201);
      expect((await get(support.token, `/tickets/${ticketId}`).expect(200)).body.status).toBe('resolved');
      expect((await get(alice.token, `/tickets/${ticketId}`).expect(200)).body.reply_reopens_until).toEqual(expect.any(String));
    });

    it('refuses a reply after the window with 409, writes nothing, and points to a follow-up request', async () => {
      const ticketId = await resolvedTicket();
      await testApp.sql(`UPDATE tickets SET updated_at = now() - interval '15 days' WHERE id = $1`, [ticketId]);
      // The service levels' own events follow the trail on their own time: counted apart.
      const ownEvents = async () => (await get(support.token, `/tickets/${ticketId}/events`).expect(200)).body.events.filter((e: { type: string }) => !e.type.startsWith('sla_'));
      const trailBefore = (await ownEvents()).length;
      const refused = await request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(alice.token, { type: 'bearer' }).send({ body: 'Thanks!' }).expect(409);
      expect(refused.body.message).toContain('follow_up_of');
      expect((await get(support.token, `/tickets/${ticketId}`).expect(200)).body.status).toBe('resolved');
      expect((await get(support.token, `/tickets/${ticketId}/comments`).expect(200)).body.comments.map((c: { body: string }) => c.body)).not.toContain('Thanks!');
      expect(await ownEvents()).toHaveLength(trailBefore);
      expect(Date.parse((await get(alice.token, `/tickets/${ticketId}`).expect(200)).body.reply_reopens_until)).toBeLessThan(Date.now());
      // Support can still write on it.
      await comment(support.token, ticketId, 'Noted.');
    });

    it('files a follow-up request linked to the requester’s own earlier ticket, and to no one else’s', async () => {
      const ticketId = await resolvedTicket();
      const followUp = await createTicket(url, alice.token, { follow_up_of: ticketId });
      expect(followUp.follow_up_of).toBe(ticketId);
      expect((await get(support.token, `/tickets/${followUp.ticket_id}`).expect(200)).body.follow_up_of).toBe(ticketId);
      const before = (await get(admin.token, '/tickets?limit=1&include_total=true').expect(200)).body.total;
      await request(url).post('/api/v1/tickets').auth(bob.token, { type: 'bearer' }).send({ ...NEW_TICKET, follow_up_of: ticketId }).expect(404);
      expect((await get(admin.token, '/tickets?limit=1&include_total=true').expect(200)).body.total).toBe(before);
    });
  });

  describe('GET /tickets/{id}/events (audit trail)', () => {
    it('records every change with its actor, in order, hiding internal notes from the requester', async () => {
      const ticket = await createTicket(url, alice.token);
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'in_progress', comment: 'On it' }).expect(200);
      await request(url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'note', internal: true }).expect(201);
      await patchTicket(url, support.token, ticket.ticket_id, { assignee_id: support.id }).expect(200);

      const staffView = await get(support.token, `/tickets/${ticket.ticket_id}/events`).expect(200);
      const allIds = staffView.body.events.map((e: { id: string }) => Number(e.id));
      // The service levels' own events (sla_met here: support's comment was the first response) are test/sla.e2e-spec.ts's.
      staffView.body.events = staffView.body.events.filter((e: { type: string }) => !e.type.startsWith('sla_'));
      expect(staffView.body.events.map((e: { type: string }) => e.type)).toEqual(['workflow_update', 'workflow_update', 'comment', 'workflow_update']);
      const [created, started, , assigned] = staffView.body.events;
      expect(created).toMatchObject({ ticket_id: ticket.ticket_id, actor_id: alice.id, payload: { change: 'created', status: 'pending', decision: 'pending' } });
      expect(started).toMatchObject({ actor_id: support.id, payload: { status: 'in_progress', comment: 'On it', changes: { status: { from: 'pending', to: 'in_progress' } } } });
      expect(assigned.payload.changes).toEqual({ assignee_id: { from: null, to: support.id } });
      const eventIds = staffView.body.events.map((e: { id: string }) => Number(e.id));
      expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));

      const requesterView = await get(alice.token, `/tickets/${ticket.ticket_id}/events`).expect(200);
      expect(requesterView.body.events.map((e: { type: string }) => e.type)).toEqual(['workflow_update', 'workflow_update', 'workflow_update']);
      const page = await get(support.token, `/tickets/${ticket.ticket_id}/events?limit=2&after=${allIds[0]}`).expect(200);
      expect(page.body.events.map((e: { id: string }) => Number(e.id))).toEqual(allIds.slice(1, 3));
      expect(page.body.next_after).toBe(String(allIds[2]));
      await get(bob.token, `/tickets/${ticket.ticket_id}/events`).expect(404);
    });

    it('writes nothing when the change is refused', async () => {
      const ticket = await createTicket(url, alice.token);
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'resolved' }).expect(200);
      // The clocks' sla_met events are derived after the commit: the trail is compared once they are in.
      await testApp.caughtUp();
      const before = await get(support.token, `/tickets/${ticket.ticket_id}/events`).expect(200);
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'waiting_for_approval', comment: 'nope' }).expect(409);
      const trail = await get(support.token, `/tickets/${ticket.ticket_id}/events`).expect(200);
      expect(trail.body.events).toEqual(before.body.events);
      expect(trail.body.events.filter((e: { type: string }) => !e.type.startsWith('sla_'))).toHaveLength(2);
      const comments = await get(support.token, `/tickets/${ticket.ticket_id}/comments`).expect(200);
      expect(comments.body.total).toBe(0);
    });
  });
});
