// The workflow's statement budget, counted on PostgreSQL on every connection of the app: a POST /request
// carried to waiting_for_approval, and the POST /hil approval that carries it to resolved — the request,
// the run segments it sets off, their checkpoints, the search index, `?wait=true`'s reads. Notifications to
// other instances are sent outside any transaction and coalesce by timing, so they are left out.
// The consumers that follow the commit frontier (the projections of the trail, the event streams' read)
// are paused while an operation is counted: their passes serve every commit of a burst at once, so they
// are counted on their own — one catch-up pass of the projections, after the operation.
import pg from 'pg';
import { EventPump } from '../src/events/event-pump';
import { TicketIndex } from '../src/knowledge/ticket-index.service';
import { TrailProjections } from '../src/projections/trail-projections';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { withinBudget } from './support/statement-budget';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, respond } from './support/workflow';

const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/** No quiet this long after an operation's response: whatever it set off has ended (ms). */
const QUIET_MS = 300;

onServer('Statement budget of the workflow (PostgreSQL)', () => {
  let testApp: TestApp;
  let employee: SignedIn;
  let support: SignedIn;
  let counted: string[] | undefined;

  beforeAll(async () => {
    // The safety polls and timers stay out of the count: only what an operation sets off runs.
    testApp = await bootTestApp({ EVENTS_POLL_SECONDS: '3600', WORKFLOW_POLL_MS: '60000', WORKFLOW_LEASE_SECONDS: '3600', SLA_POLL_MS: '60000' });
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
    employee = await signUp(testApp.url);
    await testApp.app.get(TrailProjections).onModuleDestroy();
    await testApp.app.get(EventPump).beforeApplicationShutdown();
    const query = pg.Client.prototype.query;
    jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      const statement = String(text).replace(/\s+/g, ' ').trim();
      // Notifications to other instances coalesce by timing (one per channel while one is in flight), and the
      // listening connection checks itself on a timer of its own (pg-listen's paranoid check): not counted.
      if (!statement.startsWith('SELECT pg_notify(') && statement !== 'SELECT pg_backend_pid()') counted?.push(statement.slice(0, 120));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
  });
  afterAll(() => testApp?.close());

  /** Every statement from the call until the app has been quiet for QUIET_MS (after the projections have caught up with what came before, unless told). */
  async function statementsOf(operation: () => Promise<unknown>, afterCatchingUp = true): Promise<string[]> {
    if (afterCatchingUp) await testApp.caughtUp();
    const sent: string[] = [];
    counted = sent;
    try {
      await operation();
      // The search index stores vectors in batches of its own: the operation's tickets are in it.
      await testApp.app.get(TicketIndex).onModuleDestroy();
      let seen = -1;
      while (seen !== sent.length) {
        seen = sent.length;
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      }
    } finally {
      counted = undefined;
    }
    return sent;
  }

  let ticketId: string;

  it('POST /request to waiting_for_approval: at most 25 in all; the projections’ pass after it, at most 14', async () => {
    const sent = await statementsOf(async () => {
      const filed = await fileRequest(testApp.url, employee.token, ACCESS_REQUEST, true).expect(201);
      expect(filed.body.status).toBe('waiting_for_approval');
      ticketId = filed.body.ticket_id;
    });
    expect(withinBudget(sent, 25)).toEqual(sent);
    const pass = await statementsOf(() => testApp.caughtUp(), false);
    // Notifications add two to a pass that tells someone something: the events read with their people, one insert.
    // Incident detection reads one for a filed ticket: the live tickets of the window, with their vectors.
    expect(withinBudget(pass, 14)).toEqual(pass);
  });

  it('POST /hil approval to resolved: at most 20 in all; the projections’ pass after it, at most 10', async () => {
    const sent = await statementsOf(async () => {
      const approved = await respond(testApp.url, support.token, ticketId, { approval: true, comments: 'Granted' }, true).expect(200);
      expect(approved.body.status).toBe('resolved');
    });
    expect(withinBudget(sent, 20)).toEqual(sent);
    const pass = await statementsOf(() => testApp.caughtUp(), false);
    expect(withinBudget(pass, 10)).toEqual(pass);
  });
});
