// GET /tickets/stats on a history made through the API and then moved in time in the database, so that
// every figure (counts, percentiles, bucket placement, the approvals queue) is known by hand.
import request from 'supertest';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, ingestKbDoc, KB_QUESTION, respond, UNKNOWN_REQUEST, waitForStatus } from './support/workflow';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('Ticket statistics (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let support: SignedIn;
  let alice: SignedIn;
  let bob: SignedIn;
  /** The tickets of the history, by the letter the expectations below use. */
  const ids: Record<string, string> = {};

  const stats = (token: string, query: Record<string, string> = {}) => request(url).get('/api/v1/tickets/stats').query(query).auth(token, { type: 'bearer' });

  /** Shifts a ticket's whole history (filed, updated, every event) by `seconds` (negative: into the past). */
  const shiftHistory = async (ticketId: string, seconds: number) => {
    await testApp.sql(`UPDATE ticket_events SET created_at = created_at + make_interval(secs => $2) WHERE ticket_id = $1`, [ticketId, seconds]);
    await testApp.sql(`UPDATE tickets SET created_at = created_at + make_interval(secs => $2), updated_at = updated_at + make_interval(secs => $2) WHERE id = $1`, [ticketId, seconds]);
  };
  const eventTime = async (ticketId: string, into: string, which: 'first' | 'latest') =>
    (
      await testApp.sql<{ created_at: Date }>(
        `SELECT created_at FROM ticket_events WHERE ticket_id = $1 AND payload->'changes'->'status'->>'to' = $2 ORDER BY id ${which === 'first' ? 'ASC' : 'DESC'} LIMIT 1`,
        [ticketId, into],
      )
    )[0].created_at;
  /** The ticket was first resolved `ago` seconds ago, exactly `took` seconds after it was filed. */
  const placeResolution = async (ticketId: string, ago: number, took: number) => {
    const resolvedAt = new Date(await eventTime(ticketId, 'resolved', 'first'));
    await shiftHistory(ticketId, (Date.now() - ago * 1000 - resolvedAt.getTime()) / 1000);
    const filedAt = new Date((await eventTime(ticketId, 'resolved', 'first')).getTime() - took * 1000);
    await testApp.sql(`UPDATE tickets SET created_at = $2 WHERE id = $1`, [ticketId, filedAt]);
    await testApp.sql(`UPDATE ticket_events SET created_at = $2 WHERE ticket_id = $1 AND payload->>'change' = 'created'`, [ticketId, filedAt]);
  };
  /** The ticket has waited for approval for `ago` seconds (its latest move into waiting_for_approval). */
  const placeWaiting = async (ticketId: string, ago: number) => {
    const since = new Date(await eventTime(ticketId, 'waiting_for_approval', 'latest'));
    await shiftHistory(ticketId, (Date.now() - ago * 1000 - since.getTime()) / 1000);
  };
  const fileAndWait = async (who: SignedIn, body: Record<string, unknown>, status: string) => {
    const filed = await fileRequest(url, who.token, body, true).expect(201);
    await waitForStatus(url, who.token, filed.body.ticket_id, [status]);
    return filed.body.ticket_id as string;
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    url = testApp.url;
    admin = await signInAdmin(url);
    support = await signUpAs(url, admin.token, 'support');
    [alice, bob] = [await signUp(url), await signUp(url)];
    await ingestKbDoc(url, admin.token, 'ssh-copy-id.1.md');

    // Resolved by the assistant alone; and one filed by a support person, resolved by the assistant too
    // (the requester's own events are not support acting on the ticket).
    ids.A = await fileAndWait(alice, KB_QUESTION, 'resolved');
    // Support's note after the assistant resolved it does not make the resolution support's.
    await request(url).post(`/api/v1/tickets/${ids.A}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'Glad that worked' }).expect(201);
    ids.I = await fileAndWait(support, KB_QUESTION, 'resolved');
    ids.C = await fileAndWait(bob, KB_QUESTION, 'resolved');
    // Resolved once support approved: not the assistant's alone.
    ids.B = await fileAndWait(alice, ACCESS_REQUEST, 'waiting_for_approval');
    await respond(url, support.token, ids.B, { approval: true, comments: 'Granted' }, true).expect(200);
    await waitForStatus(url, alice.token, ids.B, ['resolved']);
    // Left waiting for approval.
    ids.E = await fileAndWait(alice, ACCESS_REQUEST, 'waiting_for_approval');
    ids.D = await fileAndWait(bob, ACCESS_REQUEST, 'waiting_for_approval');
    ids.F = await fileAndWait(bob, ACCESS_REQUEST, 'waiting_for_approval');
    // Denied, and escalated.
    ids.H = await fileAndWait(bob, ACCESS_REQUEST, 'waiting_for_approval');
    await respond(url, admin.token, ids.H, { approval: false, comments: 'No' }, true).expect(200);
    await waitForStatus(url, bob.token, ids.H, ['denied']);
    ids.G = await fileAndWait(alice, UNKNOWN_REQUEST, 'escalated');

    await placeResolution(ids.A, 1 * HOUR, 600); // '< 1 h'
    await placeResolution(ids.I, 2 * HOUR, 3600); // exactly 1 h: '1–4 h' (a bucket holds its lower bound)
    await placeResolution(ids.C, 10 * DAY, 5 * HOUR); // '4–24 h', outside a 7-day window
    await placeResolution(ids.B, 1 * DAY, 2 * DAY + HOUR); // '1–3 days'
    // Reopened and resolved again today: its time to resolution stays that of its first resolution.
    await request(url).patch(`/api/v1/tickets/${ids.B}`).auth(support.token, { type: 'bearer' }).send({ status: 'in_progress' }).expect(200);
    await request(url).patch(`/api/v1/tickets/${ids.B}`).auth(support.token, { type: 'bearer' }).send({ status: 'resolved' }).expect(200);
    await placeWaiting(ids.E, 30 * HOUR); // '> 1 day'
    await placeWaiting(ids.D, 2 * HOUR); // '1–4 h'
  }, 120000);
  afterAll(() => testApp?.close());

  /** Tickets filed per UTC day, from what is stored, over the `days` days that end today. */
  const expectedPerDay = async (days: number, today: string) => {
    const counts = new Map<string, number>();
    for (const { created_at } of await testApp.sql<{ created_at: Date }>(`SELECT created_at FROM tickets`)) {
      const date = new Date(created_at).toISOString().slice(0, 10);
      counts.set(date, (counts.get(date) ?? 0) + 1);
    }
    const end = Date.parse(`${today}T00:00:00Z`);
    return Array.from({ length: days }, (_, index) => {
      const date = new Date(end - (days - 1 - index) * DAY * 1000).toISOString().slice(0, 10);
      return { date, count: counts.get(date) ?? 0 };
    });
  };

  it('counts every ticket by its current status, all eight statuses in order, zeros included', async () => {
    const body = (await stats(support.token).expect(200)).body;
    expect(body.by_status).toEqual([
      { status: 'pending', count: 0 },
      { status: 'in_progress', count: 0 },
      { status: 'waiting_for_user', count: 0 },
      { status: 'waiting_for_approval', count: 3 },
      { status: 'resolved', count: 4 },
      { status: 'denied', count: 1 },
      { status: 'escalated', count: 1 },
      { status: 'error', count: 0 },
    ]);
  });

  it('covers 30 days by default: tickets filed on each UTC day, oldest first, today last', async () => {
    const before = Date.now();
    const body = (await stats(admin.token).expect(200)).body;
    expect(body.window_days).toBe(30);
    expect(Date.parse(body.generated_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.generated_at).toBe(new Date(body.generated_at).toISOString());
    const today = body.generated_at.slice(0, 10);
    expect(body.created_per_day).toHaveLength(30);
    expect(body.created_per_day.at(-1).date).toBe(today);
    expect(body.created_per_day).toEqual(await expectedPerDay(30, today));
    expect(body.created_per_day.reduce((sum: number, day: { count: number }) => sum + day.count, 0)).toBe(9);

    const week = (await stats(admin.token, { days: '7' }).expect(200)).body;
    expect(week.window_days).toBe(7);
    expect(week.created_per_day).toEqual(await expectedPerDay(7, week.generated_at.slice(0, 10)));
    // All but C, filed ten days ago.
    expect(week.created_per_day.reduce((sum: number, day: { count: number }) => sum + day.count, 0)).toBe(8);
  });

  it('counts the tickets first resolved in the window, those the assistant resolved alone, and the time they took', async () => {
    const body = (await stats(support.token).expect(200)).body;
    // A (600 s), I (3600 s), C (5 h) by the assistant; B (2 days 1 h) approved by support.
    expect(body.resolution).toEqual({
      resolved: 4,
      assistant_resolved: 3,
      assistant_share: 0.75,
      // Nearest rank: the 2nd of the four durations, and the 4th.
      median_seconds: 3600,
      p90_seconds: 2 * DAY + HOUR,
      buckets: [
        { label: '< 1 h', count: 1 },
        { label: '1–4 h', count: 1 },
        { label: '4–24 h', count: 1 },
        { label: '1–3 days', count: 1 },
        { label: '> 3 days', count: 0 },
      ],
    });

    const week = (await stats(support.token, { days: '7' }).expect(200)).body;
    expect(week.resolution).toEqual({
      resolved: 3,
      assistant_resolved: 2,
      assistant_share: 2 / 3,
      median_seconds: 3600,
      p90_seconds: 2 * DAY + HOUR,
      buckets: [
        { label: '< 1 h', count: 1 },
        { label: '1–4 h', count: 1 },
        { label: '4–24 h', count: 0 },
        { label: '1–3 days', count: 1 },
        { label: '> 3 days', count: 0 },
      ],
    });
  });

  it('lists the tickets waiting for approval, oldest first, with how long each has waited', async () => {
    const { approvals_waiting: waiting } = (await stats(support.token).expect(200)).body;
    expect(waiting.count).toBe(3);
    expect(waiting.oldest_seconds).toBeGreaterThanOrEqual(30 * HOUR);
    expect(waiting.oldest_seconds).toBeLessThan(30 * HOUR + 60);
    expect(waiting.age_buckets).toEqual([
      { label: '< 1 h', count: 1 },
      { label: '1–4 h', count: 1 },
      { label: '4–24 h', count: 0 },
      { label: '> 1 day', count: 1 },
    ]);
    expect(waiting.tickets).toEqual([
      { ticket_id: ids.E, title: ACCESS_REQUEST.title, priority: 'high', requester_id: alice.id, waiting_seconds: waiting.oldest_seconds },
      { ticket_id: ids.D, title: ACCESS_REQUEST.title, priority: 'high', requester_id: bob.id, waiting_seconds: expect.any(Number) },
      { ticket_id: ids.F, title: ACCESS_REQUEST.title, priority: 'high', requester_id: bob.id, waiting_seconds: expect.any(Number) },
    ]);
    expect(waiting.tickets[1].waiting_seconds).toBeGreaterThanOrEqual(2 * HOUR);
    expect(waiting.tickets[1].waiting_seconds).toBeLessThan(2 * HOUR + 60);
    expect(waiting.tickets[2].waiting_seconds).toBeLessThan(HOUR);
  });

  it('takes days from 1 to 365 and refuses anything else, or an unknown field, with 400', async () => {
    expect((await stats(support.token, { days: '1' }).expect(200)).body.created_per_day).toHaveLength(1);
    expect((await stats(support.token, { days: '365' }).expect(200)).body.created_per_day).toHaveLength(365);
    for (const days of ['0', '366', 'abc', '1.5', '-3', '']) {
      const response = await stats(support.token, { days }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'days', message: expect.stringMatching(/^Days /) }]);
    }
    expect((await stats(support.token, { since: '2024-01-01' }).expect(400)).body.message).toContain('Unknown field: since');
  });

  it('is for support and admin: an employee gets 403', async () => {
    expect((await stats(alice.token).expect(403)).body.message).toContain('support or admin');
    await request(url).get('/api/v1/tickets/stats').expect(401);
  });

  it('lists at most ten waiting tickets, still the oldest first, and counts them all', async () => {
    for (let filed = 0; filed < 9; filed++) await fileAndWait(alice, ACCESS_REQUEST, 'waiting_for_approval');
    const { approvals_waiting: waiting } = (await stats(support.token).expect(200)).body;
    expect(waiting.count).toBe(12);
    expect(waiting.age_buckets.map((bucket: { count: number }) => bucket.count)).toEqual([10, 1, 0, 1]);
    expect(waiting.tickets).toHaveLength(10);
    expect(waiting.tickets.slice(0, 3).map((ticket: { ticket_id: string }) => ticket.ticket_id)).toEqual([ids.E, ids.D, ids.F]);
    const seconds = waiting.tickets.map((ticket: { waiting_seconds: number }) => ticket.waiting_seconds);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  });
});
