// POST /sla/policies/{id}/simulate on a history whose every instant is set by hand: the counts are the
// ones worked out below, ticket by ticket, under the proposed policy (not the default one).
import request from 'supertest';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { createTicket, patchTicket } from './support/tickets';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

describe('SLA simulation (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let support: SignedIn;
  let employee: SignedIn;
  let policyId: string;

  /** Sets the ticket's events (its SLA events aside), in order, to these many seconds ago; the ticket is filed at the first. */
  const placeHistory = async (ticketId: string, secondsAgo: number[]) => {
    const events = await testApp.sql<{ id: string }>(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND type NOT LIKE 'sla_%' ORDER BY id`, [ticketId]);
    expect(events).toHaveLength(secondsAgo.length);
    for (const [i, event] of events.entries()) await testApp.sql(`UPDATE ticket_events SET created_at = now() - make_interval(secs => $2) WHERE id = $1`, [event.id, secondsAgo[i]]);
    await testApp.sql(`UPDATE tickets SET created_at = now() - make_interval(secs => $2) WHERE id = $1`, [ticketId, secondsAgo[0]]);
  };
  const comment = (ticketId: string) => request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'Looking into it' }).expect(201);

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    url = testApp.url;
    admin = await signInAdmin(url);
    support = await signUpAs(url, admin.token, 'support');
    employee = await signUp(url);
    const targets = { first_response: 'PT1H', resolution: 'PT4H' };
    const proposed = await request(url)
      .post('/api/v1/sla/policies')
      .auth(admin.token, { type: 'bearer' })
      .send({ name: 'Proposed', targets: { critical: targets, medium: targets, low: targets, high: { first_response: 'PT1H', resolution: 'PT2H' } } })
      .expect(201);
    policyId = proposed.body.policy_id;

    // T1 medium: answered after 30 min, resolved after 3 h → first response met, resolution met.
    const t1 = await createTicket(url, employee.token, { priority: 'medium' });
    await comment(t1.ticket_id);
    await patchTicket(url, support.token, t1.ticket_id, { status: 'resolved' }).expect(200);
    await placeHistory(t1.ticket_id, [10 * HOUR, 10 * HOUR - 30 * MINUTE, 7 * HOUR]);
    // T2 medium: resolved after 5 h without a word → both breached.
    const t2 = await createTicket(url, employee.token, { priority: 'medium' });
    await patchTicket(url, support.token, t2.ticket_id, { status: 'resolved' }).expect(200);
    await placeHistory(t2.ticket_id, [10 * HOUR, 5 * HOUR]);
    // T3 high: answered after 10 min, open for 3 h → first response met, resolution (2 h) breached.
    const t3 = await createTicket(url, employee.token, { priority: 'high' });
    await comment(t3.ticket_id);
    await placeHistory(t3.ticket_id, [3 * HOUR, 3 * HOUR - 10 * MINUTE]);
    // T4 low: filed 20 min ago → both running.
    const t4 = await createTicket(url, employee.token, { priority: 'low' });
    await placeHistory(t4.ticket_id, [20 * MINUTE]);
    // T5 medium: waiting for the requester since 5 min after it was filed 2 h ago → both paused.
    const t5 = await createTicket(url, employee.token, { priority: 'medium' });
    await patchTicket(url, support.token, t5.ticket_id, { status: 'waiting_for_user' }).expect(200);
    await placeHistory(t5.ticket_id, [2 * HOUR, 2 * HOUR - 5 * MINUTE]);
    // T6: filed 40 days ago, outside a 30-day window.
    const t6 = await createTicket(url, employee.token, { priority: 'critical' });
    await placeHistory(t6.ticket_id, [40 * DAY]);
  });
  afterAll(() => testApp?.close());

  const simulate = (query: Record<string, unknown>, token = admin.token) => request(url).post(`/api/v1/sla/policies/${policyId}/simulate`).query(query).auth(token, { type: 'bearer' });

  it('counts, over the last 30 days, how many tickets would have met or breached each target', async () => {
    const { body } = await simulate({}).expect(200);
    expect(body).toMatchObject({ policy: { policy_id: policyId, version: 1, name: 'Proposed' }, window_days: 30, tickets: 5 });
    expect(body.outcomes).toEqual({
      first_response: { met: 2, breached: 1, running: 1, paused: 1 },
      resolution: { met: 1, breached: 2, running: 1, paused: 1 },
    });
    expect(body.by_priority.high).toEqual({ first_response: { met: 1, breached: 0, running: 0, paused: 0 }, resolution: { met: 0, breached: 1, running: 0, paused: 0 } });
    expect(body.by_priority.low).toEqual({ first_response: { met: 0, breached: 0, running: 1, paused: 0 }, resolution: { met: 0, breached: 0, running: 1, paused: 0 } });
    expect(body.by_priority.medium.resolution).toEqual({ met: 1, breached: 1, running: 0, paused: 1 });
    expect(body.by_priority.critical.resolution).toEqual({ met: 0, breached: 0, running: 0, paused: 0 });
  });

  it('takes a longer window, and refuses a bad one, an unknown policy and anyone but an admin', async () => {
    const { body } = await simulate({ days: 60 }).expect(200);
    // T6 (critical, 40 days open with a 4 h target) is in: breached both ways.
    expect(body.tickets).toBe(6);
    expect(body.by_priority.critical).toEqual({ first_response: { met: 0, breached: 1, running: 0, paused: 0 }, resolution: { met: 0, breached: 1, running: 0, paused: 0 } });
    await simulate({ days: 0 }).expect(400);
    await simulate({ days: 'all' }).expect(400);
    await simulate({ days: 30, extra: 1 }).expect(400);
    await request(url).post('/api/v1/sla/policies/6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10/simulate').auth(admin.token, { type: 'bearer' }).expect(404);
    await simulate({}, support.token).expect(403);
  });
});
