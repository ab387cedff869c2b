// Cost is budgeted in statements per operation: counted here on PostgreSQL, on every connection of the app,
// deterministic where timings are not. A request's own statements are those it sends while it is handled
// (its async context, marked at the HTTP server); what its commit sets off — the projections of the trail,
// the event streams' read — runs in the consumers' own contexts and is counted as theirs.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import pg from 'pg';
import request from 'supertest';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { NEW_TICKET } from './support/tickets';
import { withinBudget } from './support/statement-budget';
import { bootTestApp, TestApp } from './support/test-app';

const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onServer('Statement budget (PostgreSQL)', () => {
  let testApp: TestApp;
  let employee: SignedIn;
  let support: SignedIn;
  const marked = new AsyncLocalStorage<string[]>();

  beforeAll(async () => {
    testApp = await bootTestApp({ WORKFLOW_ENABLED: 'false' });
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
    employee = await signUp(testApp.url);
    // Each request runs in a context of its own, holding the list its statements are counted in.
    const server = testApp.app.getHttpServer() as Server;
    const [handle] = server.listeners('request') as Array<(...args: unknown[]) => void>;
    server.removeAllListeners('request');
    server.on('request', (...args: unknown[]) => {
      const counted = current;
      if (counted) marked.run(counted, () => handle(...args));
      else handle(...args);
    });
    const query = pg.Client.prototype.query;
    jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      // Whole statements (up to 1,000 characters), so that a test can tell which columns one reads.
      marked.getStore()?.push(String(text).replace(/\s+/g, ' ').slice(0, 1000));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
  });
  afterAll(() => testApp?.close());

  let current: string[] | undefined;
  /** The statements one request sends while it is handled. */
  async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
    await testApp.caughtUp();
    const counted: string[] = [];
    current = counted;
    try {
      await send();
    } finally {
      current = undefined;
    }
    return counted;
  }

  it('POST /tickets: at most 3 — the auth query, the per-user limit, and the ticket with its event in one statement', async () => {
    const sent = await statementsOf(() => request(testApp.url).post('/api/v1/tickets').auth(employee.token, { type: 'bearer' }).send(NEW_TICKET).expect(201));
    expect(withinBudget(sent, 3)).toEqual(sent);
  });

  it('a page of the ticket list: at most 3 (auth, the page; with include_total the count rides along)', async () => {
    for (let i = 0; i < 3; i += 1) await request(testApp.url).post('/api/v1/tickets').auth(employee.token, { type: 'bearer' }).send(NEW_TICKET).expect(201);
    const page = await statementsOf(() => request(testApp.url).get('/api/v1/tickets?limit=25').auth(support.token, { type: 'bearer' }).expect(200));
    expect(withinBudget(page, 3)).toEqual(page);
    const counted = await statementsOf(() => request(testApp.url).get('/api/v1/tickets?limit=25&include_total=true').auth(support.token, { type: 'bearer' }).expect(200));
    expect(withinBudget(counted, 3)).toEqual(counted);
  });

  it('POST /tickets/{id}/attachments: at most 7 — auth, the ticket seen, BEGIN, its lock, the file if there is room, its event, COMMIT; the list reads no bytes', async () => {
    const { body: ticket } = await request(testApp.url).post('/api/v1/tickets').auth(employee.token, { type: 'bearer' }).send(NEW_TICKET).expect(201);
    const path = `/api/v1/tickets/${ticket.ticket_id}/attachments`;
    const sent = await statementsOf(() => request(testApp.url).post(path).auth(employee.token, { type: 'bearer' }).attach('file', Buffer.from('VPN error 809\n'), 'vpn.log').expect(201));
    expect(sent.some((statement) => statement.startsWith('INSERT INTO ticket_attachments'))).toBe(true);
    expect(withinBudget(sent, 7)).toEqual(sent);
    const listed = await statementsOf(() => request(testApp.url).get(path).auth(support.token, { type: 'bearer' }).expect(200));
    expect(withinBudget(listed, 3)).toEqual(listed);
    expect(listed.some((statement) => /"content"/.test(statement))).toBe(false);
  });

  it('PATCH /tickets/{id} (a priority change): at most 5 — auth, BEGIN, the ticket locked with its run, the change with its event, COMMIT', async () => {
    const { body: ticket } = await request(testApp.url).post('/api/v1/tickets').auth(employee.token, { type: 'bearer' }).send(NEW_TICKET).expect(201);
    const sent = await statementsOf(() =>
      request(testApp.url).patch(`/api/v1/tickets/${ticket.id ?? ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).send({ priority: 'low' }).expect(200),
    );
    // A change that was made, not a no-op that writes nothing.
    expect(sent.some((statement) => /UPDATE tickets SET "priority"/.test(statement))).toBe(true);
    expect(withinBudget(sent, 5)).toEqual(sent);
  });
});
