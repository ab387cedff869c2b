// People on a ticket by name, as each audience may see them: staff read the requester's name, email,
// employee id and department and every name in full; a requester reads support's first names only.
import request from 'supertest';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { clientIp, login, signInAdmin, SignedIn, uniqueSuffix } from './support/http';
import { openStream } from './support/sse';
import { createTicket, patchTicket } from './support/tickets';

describe('People on a ticket (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let sam: SignedIn;

  const signUpNamed = async (fullName: string, department?: string, role?: 'support'): Promise<SignedIn> => {
    const suffix = uniqueSuffix();
    const body = { email: `p${suffix}@example.com`, password: 'Sturdy-Password-9', full_name: fullName, employee_id: `EMP${suffix}`, ...(department ? { department } : {}) };
    const created = await request(url).post('/api/v1/auth/register').set('X-Forwarded-For', clientIp()).send(body).expect(201);
    if (role) await request(url).patch(`/api/v1/users/${created.body.id}/role`).auth(admin.token, { type: 'bearer' }).send({ role }).expect(200);
    return { id: created.body.id, email: body.email, password: body.password, employeeId: body.employee_id, ...(await login(url, body.email, body.password)) };
  };
  const get = (token: string, path: string) => request(url).get(`/api/v1${path}`).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    url = testApp.url;
    admin = await signInAdmin(url);
    alice = await signUpNamed('Alice Archer', 'Finance');
    sam = await signUpNamed('Sam Support-Smith', 'IT Service Desk', 'support');
  });
  afterAll(() => testApp.close());

  it('keeps the department given at registration on the account', async () => {
    const me = (await get(alice.token, '/users/me').expect(200)).body;
    expect(me).toMatchObject({ full_name: 'Alice Archer', department: 'Finance' });
  });

  it('names the requester in full for staff, and the assignee by first name only for the requester', async () => {
    const filed = await createTicket(url, alice.token);
    expect(filed.requester).toEqual({ user_id: alice.id, name: 'Alice Archer' });
    expect(filed.assignee).toBeNull();

    const assigned = (await patchTicket(url, sam.token, filed.ticket_id, { assignee_id: sam.id }).expect(200)).body;
    expect(assigned.requester).toEqual({ user_id: alice.id, name: 'Alice Archer', email: alice.email, employee_id: alice.employeeId, department: 'Finance' });
    expect(assigned.assignee).toEqual({ user_id: sam.id, name: 'Sam Support-Smith', email: sam.email });

    const asRequester = (await get(alice.token, `/tickets/${filed.ticket_id}`).expect(200)).body;
    expect(asRequester.assignee).toEqual({ user_id: sam.id, name: 'Sam' });
    const inList = (await get(alice.token, '/tickets?limit=50').expect(200)).body.tickets.find((ticket: { ticket_id: string }) => ticket.ticket_id === filed.ticket_id);
    expect(inList.assignee).toEqual({ user_id: sam.id, name: 'Sam' });

    const inQueue = (await get(sam.token, `/tickets?limit=50&assignee_id=me`).expect(200)).body.tickets.find((ticket: { ticket_id: string }) => ticket.ticket_id === filed.ticket_id);
    expect(inQueue.requester).toMatchObject({ name: 'Alice Archer', department: 'Finance' });
  });

  it('names who did what in the trail, the conversation and the live stream, by audience', async () => {
    const filed = await createTicket(url, alice.token);
    const [staffStream, requesterStream] = [await openStream(`${url}/api/v1/events/${filed.ticket_id}`, { token: sam.token }), await openStream(`${url}/api/v1/events/${filed.ticket_id}`, { token: alice.token })];
    try {
      await request(url).post(`/api/v1/tickets/${filed.ticket_id}/comments`).auth(sam.token, { type: 'bearer' }).send({ body: 'Can you restart and try again?' }).expect(201);

      const fromSam = (message: { data: Record<string, unknown> }) => message.data.type === 'comment' && message.data.actor_id === sam.id;
      expect((await staffStream.waitFor(fromSam)).data.actor_name).toBe('Sam Support-Smith');
      expect((await requesterStream.waitFor(fromSam)).data.actor_name).toBe('Sam');

      const trail = (token: string) => get(token, `/tickets/${filed.ticket_id}/events`).expect(200).then((response) => response.body.events as Array<Record<string, unknown>>);
      expect((await trail(alice.token)).find((event) => event.type === 'comment')).toMatchObject({ actor_name: 'Sam' });
      expect((await trail(sam.token)).find((event) => event.type === 'comment')).toMatchObject({ actor_name: 'Sam Support-Smith' });
      expect((await trail(sam.token)).find((event) => event.type === 'workflow_update')).toMatchObject({ actor_id: alice.id, actor_name: 'Alice Archer' });

      const comments = (token: string) => get(token, `/tickets/${filed.ticket_id}/comments`).expect(200).then((response) => response.body.comments as Array<Record<string, unknown>>);
      expect((await comments(alice.token))[0]).toMatchObject({ author_id: sam.id, author_name: 'Sam' });
      expect((await comments(sam.token))[0]).toMatchObject({ author_id: sam.id, author_name: 'Sam Support-Smith' });
    } finally {
      staffStream.close();
      requesterStream.close();
    }
  });

  it('lists my tickets and the unassigned ones for support', async () => {
    const mine = await createTicket(url, alice.token, { title: `Mine ${uniqueSuffix()}` });
    const nobodys = await createTicket(url, alice.token, { title: `Nobody's ${uniqueSuffix()}` });
    await patchTicket(url, sam.token, mine.ticket_id, { assignee_id: sam.id }).expect(200);

    const ids = async (query: string) => (await get(sam.token, `/tickets?limit=100&${query}`).expect(200)).body.tickets.map((ticket: { ticket_id: string }) => ticket.ticket_id);
    const assignedToMe = await ids('assignee_id=me');
    expect(assignedToMe).toContain(mine.ticket_id);
    expect(assignedToMe).not.toContain(nobodys.ticket_id);
    const unassigned = await ids('assignee_id=none');
    expect(unassigned).toContain(nobodys.ticket_id);
    expect(unassigned).not.toContain(mine.ticket_id);

    const refused = await get(sam.token, '/tickets?assignee_id=someone').expect(400);
    expect(JSON.stringify(refused.body.message)).toContain('assignee_id');
  });

  it('lists who a ticket can be assigned to for support, and to nobody else', async () => {
    const people = (await get(sam.token, '/users/assignable').expect(200)).body.users as Array<Record<string, unknown>>;
    expect(people).toContainEqual({ user_id: sam.id, name: 'Sam Support-Smith', email: sam.email, role: 'support' });
    expect(people.map((person) => person.user_id)).not.toContain(alice.id);
    expect(people.map((person) => person.user_id)).toContain(admin.id);
    await get(alice.token, '/users/assignable').expect(403);
  });
});
