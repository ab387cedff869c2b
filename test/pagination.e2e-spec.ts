// Keyset cursors on the lists ordered by creation — users, knowledge-base documents, a ticket's comments —
// for pages deeper than the offset cap, and pages that neither skip nor repeat when rows arrive meanwhile.
import request from 'supertest';
import { signInAdmin, signUp, signUpAs } from './support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

describe('Keyset pagination (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    url = testApp.url;
    admin = await signInAdmin(url);
  });
  afterAll(() => testApp.close());

  const get = (path: string, query: Record<string, unknown>) => request(url).get(path).query(query).auth(admin.token, { type: 'bearer' });

  /** Walks every page by cursor; `between` runs after the first page (rows added while a client pages). */
  async function walk(path: string, key: string, idField: string, between?: () => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const response = await get(path, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      ids.push(...response.body[key].map((item: Record<string, string>) => item[idField]));
      if (page === 0) await between?.();
      cursor = response.body.next_cursor ?? undefined;
      if (!cursor) return ids;
    }
    throw new Error('too many pages');
  }

  it('pages through users by cursor in the offset order, each exactly once, even as users sign up meanwhile', async () => {
    for (let i = 0; i < 4; i += 1) await signUp(url);
    const byOffset = (await get('/api/v1/users', { limit: 100 }).expect(200)).body.users.map((user: { id: string }) => user.id);
    const late: string[] = [];
    const walked = await walk('/api/v1/users', 'users', 'id', async () => {
      late.push((await signUp(url)).id);
    });
    expect(walked).toEqual([...byOffset, ...late]);
  });

  it('pages through documents newest first by cursor; an upload meanwhile is not repeated or shifted into view', async () => {
    const support = await signUpAs(url, admin.token, 'support');
    const upload = (name: string) =>
      request(url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', Buffer.from(`# ${name}\n\nHow to ${name} on a company laptop.`), `${name}.md`).expect(201);
    for (const name of ['reset a password', 'map a printer', 'enrol MFA', 'join the VPN', 'request software']) await upload(name);
    const byOffset = (await get('/api/v1/llm/documents', { limit: 100 }).expect(200)).body.documents.map((document: { document_id: string }) => document.document_id);
    const walked = await walk('/api/v1/llm/documents', 'documents', 'document_id', async () => {
      await upload('clean the keyboard'); // newer than every page: it belongs before the first page, not in a later one
    });
    expect(walked).toEqual(byOffset);
  });

  it('pages through a ticket\'s comments oldest first by cursor, a new comment appearing last', async () => {
    const alice = await signUp(url);
    const ticket = await createTicket(url, alice.token);
    const post = (body: string) => request(url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(alice.token, { type: 'bearer' }).send({ body }).expect(201);
    const bodies = ['one', 'two', 'three', 'four', 'five'];
    const ids = [];
    for (const body of bodies) ids.push((await post(body)).body.comment_id);
    const path = `/api/v1/tickets/${ticket.ticket_id}/comments`;
    let lateId = '';
    const walked = await walk(path, 'comments', 'comment_id', async () => {
      lateId = (await post('six')).body.comment_id;
    });
    expect(walked).toEqual([...ids, lateId]);
  });

  it('refuses a cursor together with an offset, and a cursor it did not issue, with 400', async () => {
    const first = await get('/api/v1/users', { limit: 1 }).expect(200);
    const both = await get('/api/v1/users', { limit: 1, offset: 1, cursor: first.body.next_cursor }).expect(400);
    expect(both.body.detail).toBe('Use either cursor or offset, not both');
    for (const cursor of ['bm90LWpzb24', Buffer.from('["yesterday","x"]').toString('base64url'), 'a'.repeat(201), 'has space']) {
      const refused = await get('/api/v1/llm/documents', { cursor }).expect(400);
      expect(refused.body.detail).toMatch(/cursor is not valid/);
    }
    const deep = await get(`/api/v1/tickets/${first.body.users[0].id}/comments`, { offset: 10_001 }).expect(400);
    expect(deep.body.detail).toMatch(/Offset can be at most 10000; page further with cursor/);
  });

  it('refuses a cursor whose instant lies outside the years 0001 to 9999 with 400, on tickets, users, documents and comments', async () => {
    const ticket = await createTicket(url, (await signUp(url)).token);
    const id = '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10';
    // Encoded as the API encodes its cursors: a JSON array of strings, base64url.
    const cursorOf = (...parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const lists = (at: string): Array<{ path: string; query: { cursor: string; sort?: string } }> => [
      ...['created_at', '-created_at', 'updated_at', '-updated_at', 'sla_due', '-sla_due'].map((sort) => ({ path: '/api/v1/tickets', query: { sort, cursor: cursorOf(sort, at, id) } })),
      ...['/api/v1/users', '/api/v1/llm/documents', `/api/v1/tickets/${ticket.ticket_id}/comments`].map((path) => ({ path, query: { cursor: cursorOf(at, id) } })),
    ];
    const statuses: Record<string, string> = {};
    for (const at of ['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      for (const { path, query } of lists(at)) {
        const reply = await get(path, query);
        statuses[`${path} ${query.sort ?? ''} ${at}`] = `${reply.status} ${reply.status === 400 ? reply.body.detail : ''}`;
      }
    }
    const inRange = (label: string) => / (0001|9999)-/.test(label);
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((label) => [label, inRange(label) ? '200 ' : '400 cursor is not valid'])));
  });
});
