// Notifications, end to end with the real workflow: each kind is derived from the committed trail once, for
// the right person and never for the actor; a requester never sees staff-only content; a muted kind creates
// nothing; read marks and the unread count; another user's notification is 404; the projection applied
// again creates nothing new (also with two instances on one PostgreSQL); new ones arrive live over SSE.
import request from 'supertest';
import { TrailProjections } from '../src/projections/trail-projections';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { openStream, TestStream } from './support/sse';
import { patchTicket } from './support/tickets';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, respond, UNKNOWN_REQUEST, waitForStatus } from './support/workflow';

const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Notice {
  notification_id: string;
  kind: string;
  ticket_id: string;
  title: string;
  text: string;
  created_at: string;
  read_at: string | null;
}

describe('Notifications (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let ana: SignedIn;
  let ben: SignedIn;
  let employee: SignedIn;
  const streams: TestStream[] = [];

  beforeAll(async () => {
    testApp = await bootTestApp({ SLA_POLL_MS: '100' });
    url = testApp.url;
    admin = await signInAdmin(url);
    ana = await signUpAs(url, admin.token, 'support');
    ben = await signUpAs(url, admin.token, 'support');
    employee = await signUp(url);
    await testApp.sql(`UPDATE users SET full_name = 'Ana Silva' WHERE id = $1`, [ana.id]);
    await testApp.sql(`UPDATE users SET full_name = 'Ben Okafor' WHERE id = $1`, [ben.id]);
    await testApp.sql(`UPDATE users SET full_name = 'Erin Wood' WHERE id = $1`, [employee.id]);
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await testApp?.close();
  });

  const as = (token: string) => ({ auth: [token, { type: 'bearer' }] as const });
  const list = async (token: string, query: Record<string, unknown> = {}) => {
    await testApp.caughtUp();
    const body = (await request(url).get('/api/v1/notifications').query({ limit: 100, ...query }).auth(...as(token).auth).expect(200)).body;
    return body as { notifications: Notice[]; count: number; unread_count: number; next_cursor: string | null };
  };
  const about = async (token: string, ticketId: string) => (await list(token)).notifications.filter((notice) => notice.ticket_id === ticketId);
  const kindsAbout = async (token: string, ticketId: string) => (await about(token, ticketId)).map((notice) => notice.kind).sort();
  const comment = (token: string, ticketId: string, body: string, internal = false) =>
    request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(...as(token).auth).send({ body, internal }).expect(201);
  const fileAccessRequest = async (title: string) => {
    const filed = await fileRequest(url, employee.token, { ...ACCESS_REQUEST, title }).expect(201);
    await waitForStatus(url, ana.token, filed.body.ticket_id, ['waiting_for_approval']);
    await testApp.caughtUp();
    return filed.body.ticket_id as string;
  };
  const openRequest = async (ticketId: string, token = ana.token) => {
    for (let tries = 0; tries < 200; tries += 1) {
      await testApp.caughtUp();
      const waiting = (await request(url).get('/api/v1/approvals').query({ ticket_id: ticketId }).auth(...as(token).auth).expect(200)).body.approvals;
      if (waiting.length > 0) return waiting[0] as { plan_hash: string; approval_id: string };
      await sleep(50);
    }
    throw new Error(`no approval request for ${ticketId}`);
  };

  it('tells the shared queue an approval waits, the new assignee and their delegate, and the requester of the decision — never the actor', async () => {
    const ticketId = await fileAccessRequest('Access to the VPN admin console');
    await openRequest(ticketId);
    // Unassigned: the shared queue — every support and admin user — is told; the requester is not.
    expect(await kindsAbout(ana.token, ticketId)).toEqual(['approval_waiting']);
    expect(await kindsAbout(ben.token, ticketId)).toEqual(['approval_waiting']);
    expect(await kindsAbout(admin.token, ticketId)).toEqual(['approval_waiting']);
    expect(await kindsAbout(employee.token, ticketId)).toEqual([]);

    // Ana hands her approvals to Ben; the admin assigns the ticket to Ana and raises its priority, which changes the plan.
    await request(url).post('/api/v1/approvals/delegations').auth(...as(ana.token).auth).send({ delegate_id: ben.id, ends_at: new Date(Date.now() + 3600_000).toISOString() }).expect(201);
    await patchTicket(url, admin.token, ticketId, { assignee_id: ana.id, priority: 'critical' }).expect(200);
    await testApp.caughtUp();
    const anas = await about(ana.token, ticketId);
    expect(anas.map((notice) => notice.kind).sort()).toEqual(['approval_waiting', 'approval_waiting', 'ticket_assigned']);
    expect(anas.find((notice) => notice.kind === 'ticket_assigned')?.text).toBe(`${adminName} assigned “Access to the VPN admin console” to you`);
    expect(anas.filter((notice) => notice.kind === 'approval_waiting').map((notice) => notice.text)).toContain('An approval waits for you again (its plan changed) on “Access to the VPN admin console”');
    const bens = (await about(ben.token, ticketId)).filter((notice) => notice.kind === 'approval_waiting').map((notice) => notice.text);
    expect(bens).toContain('An approval waits for you again (its plan changed) on “Access to the VPN admin console”, for Ana Silva, who delegated their approvals to you');
    // The admin assigned it: they are not told of their own assignment, nor of the plan change now that it is Ana's.
    expect(await kindsAbout(admin.token, ticketId)).toEqual(['approval_waiting']);

    const { plan_hash } = await openRequest(ticketId, ben.token);
    await respond(url, ben.token, ticketId, { approval: true, plan_hash, comments: 'Fine for the quarter' }).expect(200);
    await waitForStatus(url, employee.token, ticketId, ['resolved']);
    const employees = await about(employee.token, ticketId);
    expect(employees.map((notice) => notice.text)).toEqual(expect.arrayContaining(['Ben Okafor approved your request “Access to the VPN admin console”', 'Your request “Access to the VPN admin console” was resolved']));
    expect(employees.map((notice) => notice.kind).sort()).toEqual(['approval_decision', 'status_changed']);
    expect(await kindsAbout(ben.token, ticketId)).not.toContain('approval_decision');
  });

  let adminName = '';
  beforeAll(async () => {
    adminName = (await request(url).get('/api/v1/users/me').auth(...as(admin.token).auth).expect(200)).body.full_name;
  });

  it('tells the requester of public comments and questions, the assignee of what others say, and nobody of their own words; internal notes never reach the requester', async () => {
    const filed = await fileRequest(url, employee.token, { ...UNKNOWN_REQUEST, title: 'Laptop won’t boot' }).expect(201);
    const ticketId = filed.body.ticket_id as string;
    await waitForStatus(url, employee.token, ticketId, ['escalated']);
    await testApp.caughtUp();
    expect((await about(employee.token, ticketId)).map((notice) => notice.text)).toEqual(['Your request “Laptop won’t boot” was handed to a support engineer, who will take it from here']);

    await patchTicket(url, ana.token, ticketId, { assignee_id: ana.id }).expect(200);
    await comment(ana.token, ticketId, 'Secret: the disk is probably dead', true);
    await comment(ben.token, ticketId, 'I saw this model fail before; try the recovery key', true);
    await comment(ana.token, ticketId, 'Could you bring it to the service desk tomorrow?');
    await comment(employee.token, ticketId, 'Yes, at nine');
    await request(url).post(`/api/v1/workflow/${ticketId}/ask`).auth(...as(ana.token).auth).send({ question: 'Which model is it exactly?' }).expect(200);

    const employees = await about(employee.token, ticketId);
    expect(employees.map((notice) => notice.text).sort()).toEqual([
      'Ana Silva commented on your request “Laptop won’t boot”: “Could you bring it to the service desk tomorrow?”',
      'We have a question for you about your request “Laptop won’t boot”: “Which model is it exactly?”',
      'Your request “Laptop won’t boot” was handed to a support engineer, who will take it from here',
    ]);
    expect(JSON.stringify(employees)).not.toMatch(/Secret|recovery key/);
    // Ana took it herself (no assignment notice), wrote the note and the comment herself: she hears of Ben's note and the requester's reply.
    expect((await about(ana.token, ticketId)).map((notice) => notice.text).sort()).toEqual([
      'Ben Okafor added an internal note on “Laptop won’t boot”: “I saw this model fail before; try the recovery key”',
      'Erin Wood commented on “Laptop won’t boot”: “Yes, at nine”',
    ]);

    await respond(url, employee.token, ticketId, { answer: 'A ThinkPad T14' }).expect(200);
    // The assistant runs again with the answer and hands the ticket back to support.
    await waitForStatus(url, employee.token, ticketId, ['escalated']);
    await testApp.caughtUp();
    expect((await about(ana.token, ticketId)).map((notice) => notice.text)).toContain('Erin Wood answered the question on “Laptop won’t boot”: “A ThinkPad T14”');
  });

  it('marks one read or all read, keeps the unread count, pages newest first, and answers 404 for another user’s notification', async () => {
    const first = await list(employee.token);
    expect(first.unread_count).toBeGreaterThanOrEqual(4);
    expect(first.count).toBe(first.notifications.length);
    const times = first.notifications.map((notice) => notice.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    const page = await list(employee.token, { limit: 2 });
    expect(page.notifications).toEqual(first.notifications.slice(0, 2));
    const next = await list(employee.token, { limit: 2, cursor: page.next_cursor });
    expect(next.notifications).toEqual(first.notifications.slice(2, 4));

    const target = first.notifications[0];
    const read = await request(url).post(`/api/v1/notifications/${target.notification_id}/read`).auth(...as(employee.token).auth).expect(200);
    expect(read.body).toMatchObject({ notification_id: target.notification_id, read_at: expect.any(String) });
    const again = await request(url).post(`/api/v1/notifications/${target.notification_id}/read`).auth(...as(employee.token).auth).expect(200);
    expect(again.body.read_at).toBe(read.body.read_at);
    expect((await list(employee.token)).unread_count).toBe(first.unread_count - 1);
    expect((await list(employee.token, { unread_only: true })).notifications.map((notice) => notice.notification_id)).not.toContain(target.notification_id);

    await request(url).post(`/api/v1/notifications/${target.notification_id}/read`).auth(...as(ana.token).auth).expect(404);
    await request(url).post('/api/v1/notifications/not-a-uuid/read').auth(...as(employee.token).auth).expect(400);
    await request(url).get('/api/v1/notifications').query({ unread_only: 'maybe' }).auth(...as(employee.token).auth).expect(400);
    await request(url).get('/api/v1/notifications').query({ cursor: 'bogus' }).auth(...as(employee.token).auth).expect(400);
    await request(url).get('/api/v1/notifications').expect(401);

    const all = await request(url).post('/api/v1/notifications/read_all').auth(...as(employee.token).auth).expect(200);
    expect(all.body).toEqual({ marked: first.unread_count - 1, unread_count: 0 });
    expect((await list(employee.token)).unread_count).toBe(0);
    // Ana's are hers: untouched.
    expect((await list(ana.token)).unread_count).toBeGreaterThan(0);
  });

  it('lets each user mute kinds: a muted kind creates nothing, the others still come', async () => {
    const mine = await request(url).get('/api/v1/notifications/preferences').auth(...as(employee.token).auth).expect(200);
    expect(mine.body.preferences.map((preference: { kind: string }) => preference.kind)).toEqual(['status_changed', 'comment', 'approval_decision']);
    expect(mine.body.preferences.every((preference: { in_app: boolean }) => preference.in_app)).toBe(true);
    const staffKinds = (await request(url).get('/api/v1/notifications/preferences').auth(...as(ana.token).auth).expect(200)).body.preferences;
    expect(staffKinds).toHaveLength(7);

    const put = (token: string, body: object) => request(url).put('/api/v1/notifications/preferences').auth(...as(token).auth).send(body);
    await put(employee.token, { preferences: [{ kind: 'ticket_assigned', in_app: false }] }).expect(400);
    await put(employee.token, { preferences: [{ kind: 'gossip', in_app: false }] }).expect(400);
    await put(employee.token, { preferences: [{ kind: 'comment', in_app: 'no' }] }).expect(400);
    await put(employee.token, { preferences: [{ kind: 'comment', in_app: false }], extra: 1 }).expect(400);
    await put(employee.token, { preferences: [{ kind: 'comment', in_app: false }, { kind: 'comment', in_app: true }] }).expect(400);
    await put(employee.token, { preferences: [] }).expect(400);
    const saved = await put(employee.token, { preferences: [{ kind: 'comment', in_app: false }] }).expect(200);
    expect(saved.body.preferences).toContainEqual({ kind: 'comment', description: expect.any(String), in_app: false });

    const filed = await fileRequest(url, employee.token, { ...UNKNOWN_REQUEST, title: 'Printer on floor 3 jams' }).expect(201);
    const ticketId = filed.body.ticket_id as string;
    await waitForStatus(url, employee.token, ticketId, ['escalated']);
    await comment(ana.token, ticketId, 'Looking at it now');
    expect(await kindsAbout(employee.token, ticketId)).toEqual(['status_changed']);
    // (Left muted: a replay of the trail follows the preferences as they are when it runs.)
  });

  it('creates nothing new when the projection applies the same events again', async () => {
    await testApp.caughtUp();
    const count = async () => Number((await testApp.sql(`SELECT count(*) AS count FROM notifications`))[0].count);
    const before = await count();
    expect(before).toBeGreaterThan(10);
    await testApp.sql(`UPDATE trail_checkpoints SET last_event_id = 0 WHERE consumer = 'projections'`);
    await testApp.caughtUp();
    expect(await count()).toBe(before);
  });

  it('sends a new notification live to its recipient’s stream, and to nobody else’s', async () => {
    const anasStream = await openStream(`${url}/api/v1/events`, { token: ana.token });
    const bensStream = await openStream(`${url}/api/v1/events`, { token: ben.token });
    streams.push(anasStream, bensStream);
    const filed = await fileRequest(url, employee.token, { ...UNKNOWN_REQUEST, title: 'Monitor flickers' }).expect(201);
    const ticketId = filed.body.ticket_id as string;
    await waitForStatus(url, employee.token, ticketId, ['escalated']);
    await patchTicket(url, ben.token, ticketId, { assignee_id: ana.id }).expect(200);
    const message = await anasStream.waitFor((m) => m.data.type === 'notification' && (m.data.notification as Notice).ticket_id === ticketId);
    expect(message.data).toMatchObject({
      ticket_id: ticketId,
      notification: { kind: 'ticket_assigned', text: 'Ben Okafor assigned “Monitor flickers” to you', read_at: null, notification_id: expect.any(String) },
    });
    // The stream's position is the last event it sent, not a notification's: a resume misses no event.
    expect(Number(message.id)).toBeGreaterThan(0);
    await testApp.caughtUp();
    expect(bensStream.messages.filter((m) => m.data.type === 'notification')).toEqual([]);
  });

  it('tells the assignee of a service level at risk and missed, and nobody of an unassigned ticket’s', async () => {
    // The warning must come after the assignment (an unassigned ticket's tells nobody): 9 s in, while filing,
    // escalating and assigning take a second or two even on a busy machine.
    const targets = Object.fromEntries(['critical', 'high', 'medium', 'low'].map((priority) => [priority, { first_response: 'PT1H', resolution: 'PT12S' }]));
    await request(url).post('/api/v1/sla/policies').auth(...as(admin.token).auth).send({ name: 'Tight', is_default: true, targets, warning_thresholds: [0.75] }).expect(201);
    const file = async (title: string) => {
      const filed = await fileRequest(url, employee.token, { ...UNKNOWN_REQUEST, title }).expect(201);
      await waitForStatus(url, employee.token, filed.body.ticket_id, ['escalated']);
      return filed.body.ticket_id as string;
    };
    const assigned = await file('Keyboard types double letters');
    const unassigned = await file('Mouse wheel sticks');
    await patchTicket(url, admin.token, assigned, { assignee_id: ana.id }).expect(200);
    const breachOf = async (ticketId: string) => (await testApp.sql(`SELECT 1 FROM ticket_events WHERE ticket_id = $1 AND type = 'sla_breached'`, [ticketId])).length;
    for (let tries = 0; tries < 600 && (await breachOf(assigned)) + (await breachOf(unassigned)) < 2; tries++) await sleep(100);
    await testApp.caughtUp();
    const anas = await about(ana.token, assigned);
    expect(anas.map((notice) => notice.kind).sort()).toEqual(['sla_breached', 'sla_warning', 'ticket_assigned']);
    expect(anas.find((notice) => notice.kind === 'sla_breached')?.text).toBe('“Keyboard types double letters” missed its resolution target');
    expect(anas.find((notice) => notice.kind === 'sla_warning')?.text).toMatch(/^“Keyboard types double letters” will miss its resolution target in \d+ minutes?$/);
    const slaAboutUnassigned = await testApp.sql(`SELECT 1 FROM notifications WHERE ticket_id = $1 AND kind LIKE 'sla_%'`, [unassigned]);
    expect(slaAboutUnassigned).toEqual([]);
    expect(await kindsAbout(employee.token, assigned)).toEqual(['status_changed']);
  });

  // Last: the app started beside this one shares its process, and closing it leaves this one without its database driver.
  onServer('with two instances: each notification is created once, and reaches a stream open on the other instance', async () => {
    const other = await testApp.another();
    try {
      const anasStream = await openStream(`${other.url}/api/v1/events`, { token: ana.token });
      streams.push(anasStream);
      const count = async () => Number((await testApp.sql(`SELECT count(*) AS count FROM notifications`))[0].count);
      const before = await count();
      // Both instances work the projections from the start again: what exists is not created twice.
      await testApp.sql(`UPDATE trail_checkpoints SET last_event_id = 0 WHERE consumer = 'projections'`);
      await Promise.all([testApp.caughtUp(), other.caughtUp()]);
      expect(await count()).toBe(before);

      // Only this instance works the projections now: the notification is created here, and must cross to the other's stream.
      await other.app.get(TrailProjections).onModuleDestroy();
      const filed = await fileRequest(url, employee.token, { ...UNKNOWN_REQUEST, title: 'Docking station is dead' }).expect(201);
      const ticketId = filed.body.ticket_id as string;
      await waitForStatus(url, employee.token, ticketId, ['escalated']);
      await patchTicket(url, ben.token, ticketId, { assignee_id: ana.id }).expect(200);
      await anasStream.waitFor((m) => m.data.type === 'notification' && (m.data.notification as Notice).ticket_id === ticketId);
      await testApp.caughtUp();
      // (The tight policy of the test before may add service-level notices; the assignment is told once.)
      expect((await kindsAbout(ana.token, ticketId)).filter((kind) => kind === 'ticket_assigned')).toEqual(['ticket_assigned']);
    } finally {
      await other.close();
    }
  });
});
