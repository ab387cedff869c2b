// The projections of the committed trail, end to end: a ticket's clocks are derived after its write commits,
// the projection's checkpoint is durable (a restart continues from it and catches up what it had not
// applied), and a change that alters a waiting approval's plan supersedes the request once, after its commit.
import { signUp, SignedIn } from './support/http';
import { createTicket } from './support/tickets';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

describe('Projections of the trail (e2e)', () => {
  let testApp: TestApp;
  let employee: SignedIn;

  beforeAll(async () => {
    // No safety poll during the test: only commits and a start-up wake the projections.
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, EVENTS_POLL_SECONDS: '3600' });
    employee = await signUp(testApp.url);
  });
  afterAll(() => testApp?.close());

  const clocksOf = async (ticketId: string) =>
    (await testApp.sql<{ metric: string }>(`SELECT metric FROM ticket_slas WHERE ticket_id = $1 ORDER BY metric`, [ticketId])).map((row) => row.metric);
  const checkpoint = async () => Number((await testApp.sql(`SELECT last_event_id FROM trail_checkpoints WHERE consumer = 'projections'`))[0].last_event_id);

  it('derives a new ticket’s clocks after its commit, and moves its checkpoint past the ticket’s event', async () => {
    const ticket = await createTicket(testApp.url, employee.token);
    await testApp.caughtUp();
    expect(await clocksOf(ticket.ticket_id)).toEqual(['first_response', 'resolution']);
    const [{ id: last }] = await testApp.sql(`SELECT max(id) AS id FROM ticket_events`);
    expect(await checkpoint()).toBe(Number(last));
  });

  it('continues from its checkpoint after a restart, applying what it had not', async () => {
    const ticket = await createTicket(testApp.url, employee.token);
    await testApp.caughtUp();
    // As if the instance had stopped after the ticket's commit, before the projection applied it.
    const [{ id: created }] = await testApp.sql(`SELECT min(id) AS id FROM ticket_events WHERE ticket_id = $1`, [ticket.ticket_id]);
    await testApp.sql(`DELETE FROM ticket_slas WHERE ticket_id = $1`, [ticket.ticket_id]);
    await testApp.sql(`UPDATE trail_checkpoints SET last_event_id = $1 WHERE consumer = 'projections'`, [Number(created) - 1]);
    testApp = await testApp.restart();
    await testApp.caughtUp();
    expect(await clocksOf(ticket.ticket_id)).toEqual(['first_response', 'resolution']);
    expect(await checkpoint()).toBeGreaterThanOrEqual(Number(created));
  });
});
