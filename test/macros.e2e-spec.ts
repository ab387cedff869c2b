// Canned replies: admins keep them (validated placeholders, unique names), support fills one in for a ticket,
// and nobody else reaches them.
import request from 'supertest';
import { login, registerUser, signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

const VPN_REPLY = {
  name: 'VPN: reinstall the client',
  body: 'Hi {{requester.first_name}},\n\nabout “{{ticket.title}}”: please reinstall the VPN client.\n\n{{ agent.first_name }}, IT support',
};

describe('Macros (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let support: SignedIn;
  let ada: SignedIn;
  let bob: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    url = testApp.url;
    admin = await signInAdmin(url);
    support = await signUpAs(url, admin.token, 'support');
    const registered = await registerUser(url, { full_name: 'Ada  Lovelace-King' });
    ada = { ...registered, ...(await login(url, registered.email, registered.password)) };
    bob = await signUp(url);
  });
  afterAll(() => testApp.close());

  const as = (token: string) => ({
    get: (path: string) => request(url).get(`/api/v1${path}`).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => request(url).post(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => request(url).patch(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => request(url).delete(`/api/v1${path}`).auth(token, { type: 'bearer' }),
  });
  let unique = 0;
  const createMacro = async (overrides: Record<string, unknown> = {}) =>
    (await as(admin.token).post('/macros', { ...VPN_REPLY, name: `${VPN_REPLY.name} ${(unique += 1)}`, ...overrides }).expect(201)).body;

  it('lets an admin create, list, change and delete a macro', async () => {
    const created = await as(admin.token).post('/macros', { name: '  Password reset done ', body: 'Hi {{requester.name}}, done.', resolve: true }).expect(201);
    expect(created.body).toEqual({
      macro_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Password reset done',
      body: 'Hi {{requester.name}}, done.',
      internal: false,
      resolve: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.macro_id;
    expect((await as(support.token).get('/macros').expect(200)).body.macros).toContainEqual(created.body);
    const changed = await as(admin.token).patch(`/macros/${id}`, { body: 'Hi {{requester.first_name}}, your password is reset.' }).expect(200);
    expect(changed.body).toMatchObject({ name: 'Password reset done', body: 'Hi {{requester.first_name}}, your password is reset.', resolve: true });
    await as(admin.token).delete(`/macros/${id}`).expect(204);
    await as(admin.token).delete(`/macros/${id}`).expect(404);
    expect((await as(admin.token).get('/macros').expect(200)).body.macros.map((macro: { macro_id: string }) => macro.macro_id)).not.toContain(id);
  });

  it('refuses unknown placeholders at save time with 400 naming each, and stores nothing', async () => {
    const before = (await as(admin.token).get('/macros').expect(200)).body.count;
    const response = await as(admin.token).post('/macros', { name: 'Typos', body: 'Hi {{requester.firstname}}, see {{ ticket.url }} and {{requester.firstname}}.' }).expect(400);
    expect(response.body.message).toEqual([expect.stringContaining('body has unknown placeholders: {{requester.firstname}}, {{ ticket.url }}; the known ones are {{requester.first_name}}')]);
    expect((await as(admin.token).get('/macros').expect(200)).body.count).toBe(before);
    const macro = await createMacro();
    await as(admin.token).patch(`/macros/${macro.macro_id}`, { body: '{{agent.email}}' }).expect(400);
    expect((await as(admin.token).get('/macros').expect(200)).body.macros).toContainEqual(macro);
  });

  it('refuses a macro that is both an internal note and a resolution', async () => {
    const response = await as(admin.token).post('/macros', { name: 'Odd one', body: 'x', internal: true, resolve: true }).expect(400);
    expect(response.body.message).toEqual(['A macro cannot both be an internal note and resolve the ticket: the resolution is shown to the requester']);
    const note = await createMacro({ internal: true });
    await as(admin.token).patch(`/macros/${note.macro_id}`, { resolve: true }).expect(400);
  });

  it('refuses a duplicate name, whatever its case, with 409', async () => {
    const macro = await createMacro();
    const duplicate = await as(admin.token).post('/macros', { name: macro.name.toUpperCase(), body: 'Another text' }).expect(409);
    expect(duplicate.body).toMatchObject({ message: `A macro named "${macro.name}" already exists`, macro_id: macro.macro_id });
    const other = await createMacro();
    await as(admin.token).patch(`/macros/${other.macro_id}`, { name: macro.name }).expect(409);
    // Renaming a macro to its own name in another case is no conflict.
    await as(admin.token).patch(`/macros/${macro.macro_id}`, { name: macro.name.toLowerCase() }).expect(200);
  });

  it('validates the body of a change: unknown fields, empty changes and bad values', async () => {
    const macro = await createMacro();
    expect((await as(admin.token).patch(`/macros/${macro.macro_id}`, {}).expect(400)).body.message).toBe('Nothing to update: give name, body, internal or resolve');
    expect((await as(admin.token).patch(`/macros/${macro.macro_id}`, { owner: 'me' }).expect(400)).body.message).toContain('Unknown field: owner');
    expect((await as(admin.token).patch(`/macros/${macro.macro_id}`, { name: '   ' }).expect(400)).body.message).toContain('Name must not be empty');
    expect((await as(admin.token).patch(`/macros/${macro.macro_id}`, { internal: null }).expect(400)).body.message).toContain('Internal must be true or false');
    await as(admin.token).patch('/macros/00000000-0000-4000-8000-000000000000', { body: 'x' }).expect(404);
  });

  it('keeps macros from other roles: support cannot manage them, a requester cannot list or render them', async () => {
    const macro = await createMacro();
    const ticket = await createTicket(url, ada.token);
    await as(support.token).post('/macros', { name: 'Mine', body: 'x' }).expect(403);
    await as(support.token).patch(`/macros/${macro.macro_id}`, { body: 'x' }).expect(403);
    await as(support.token).delete(`/macros/${macro.macro_id}`).expect(403);
    await as(ada.token).get('/macros').expect(403);
    await as(ada.token).post(`/tickets/${ticket.ticket_id}/macros/${macro.macro_id}/render`).expect(403);
    await as(ada.token).post('/macros', { name: 'Mine', body: 'x' }).expect(403);
  });

  it('fills a macro in for a ticket with its requester’s first name, its title and the agent, storing nothing', async () => {
    const macro = await createMacro();
    const ticket = await createTicket(url, ada.token, { title: 'VPN drops every hour' });
    const rendered = await as(support.token).post(`/tickets/${ticket.ticket_id}/macros/${macro.macro_id}/render`).expect(200);
    expect(rendered.body).toEqual({
      macro_id: macro.macro_id,
      ticket_id: ticket.ticket_id,
      body: 'Hi Ada,\n\nabout “VPN drops every hour”: please reinstall the VPN client.\n\nTest, IT support',
      internal: false,
      resolve: false,
    });
    const full = await createMacro({ body: '{{requester.name}} <{{requester.email}}> on {{ticket.id}}, by {{agent.name}}' });
    const filled = await as(admin.token).post(`/tickets/${ticket.ticket_id}/macros/${full.macro_id}/render`).expect(200);
    expect(filled.body.body).toBe(`Ada  Lovelace-King <${ada.email}> on ${ticket.ticket_id}, by Administrator`);
    const trail = await as(ada.token).get(`/tickets/${ticket.ticket_id}/events`).expect(200);
    expect(trail.body.events.map((event: { type: string }) => event.type)).toEqual(['workflow_update']);
    expect((await as(ada.token).get(`/tickets/${ticket.ticket_id}/comments`).expect(200)).body.total).toBe(0);
  });

  it('answers 404 for a ticket or macro that does not exist', async () => {
    const macro = await createMacro();
    const ticket = await createTicket(url, bob.token);
    await as(support.token).post(`/tickets/00000000-0000-4000-8000-000000000000/macros/${macro.macro_id}/render`).expect(404);
    const missing = await as(support.token).post(`/tickets/${ticket.ticket_id}/macros/00000000-0000-4000-8000-000000000000/render`).expect(404);
    expect(missing.body.message).toBe('Macro 00000000-0000-4000-8000-000000000000 not found');
  });
});
