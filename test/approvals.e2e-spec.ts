// Approvals that expire, end to end with the real workflow: a pause for approval raises a request bound to
// its plan; GET /approvals lists what waits, oldest first, with time left; reminders and the expiry fire
// once each (also with two instances on one PostgreSQL, and across a restart); the expiry escalates,
// denies, or — for a request type marked low-risk — approves; a person racing the expiry is applied once;
// an approval for a plan that changed is refused and a new request raised; delegation hands approvals on.
import request from 'supertest';
import { ApprovalTimers } from '../src/workflow/approval-timers';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { patchTicket } from './support/tickets';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, getWorkflow, respond, waitForStatus } from './support/workflow';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const targets = Object.fromEntries(['critical', 'high', 'medium', 'low'].map((priority) => [priority, { first_response: 'PT8H', resolution: 'P5D' }]));
const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;

describe('Approvals (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let support: SignedIn;
  let colleague: SignedIn;
  let employee: SignedIn;
  let policies = 0;

  beforeAll(async () => {
    testApp = await bootTestApp({ SLA_POLL_MS: '100' });
    url = testApp.url;
    admin = await signInAdmin(url);
    support = await signUpAs(url, admin.token, 'support');
    colleague = await signUpAs(url, admin.token, 'support');
    employee = await signUp(url);
  });
  afterAll(() => testApp?.close());

  /** A new default policy with these approval settings; approvals requested from now on wait by them. */
  const useApprovals = (approvals: Record<string, unknown>) =>
    request(url)
      .post('/api/v1/sla/policies')
      .auth(admin.token, { type: 'bearer' })
      .send({ name: `Approvals ${++policies}`, is_default: true, targets, approvals });
  const fileAccessRequest = async (overrides: Record<string, unknown> = {}) => {
    const filed = await fileRequest(url, employee.token, { ...ACCESS_REQUEST, ...overrides }).expect(201);
    await waitForStatus(url, support.token, filed.body.ticket_id, ['waiting_for_approval']);
    return filed.body.ticket_id as string;
  };
  const approvals = async (token: string, mine = true) =>
    (await request(url).get('/api/v1/approvals').query({ mine }).auth(token, { type: 'bearer' }).expect(200)).body.approvals as Array<Record<string, any>>;
  /** The ticket's open request, once the pause has raised it (the run's segment ends just after the status changes). */
  // A request raised again for a changed plan is derived after the change's commit: read once that is done.
  const openRequest = async (ticketId: string) => {
    await testApp.caughtUp();
    for (let i = 0; i < 100; i += 1) {
      const found = (await approvals(support.token, false)).find((approval) => approval.ticket_id === ticketId);
      if (found) return found;
      await sleep(50);
    }
    throw new Error(`No approval request was raised for ticket ${ticketId}`);
  };
  const trail = async (ticketId: string) =>
    (await testApp.caughtUp(), await request(url).get(`/api/v1/tickets/${ticketId}/events`).query({ limit: 200 }).auth(support.token, { type: 'bearer' }).expect(200)).body.events as Array<{
      type: string;
      payload: Record<string, any>;
    }>;
  const count = (events: Array<{ type: string }>, type: string) => events.filter((event) => event.type === type).length;

  it('raises a request bound to its plan when the workflow pauses, lists it oldest first with time left, and applies an approval of that plan', async () => {
    await useApprovals({ default: { due: 'PT8H', reminders: ['PT4H'], on_expiry: 'escalate' } }).expect(201);
    const first = await fileAccessRequest();
    const second = await fileAccessRequest({ title: 'Request for reporting database access' });
    const older = await openRequest(first);
    await openRequest(second);

    const mine = await approvals(support.token);
    const order = mine.map((approval) => approval.ticket_id).filter((id) => id === first || id === second);
    expect(order).toEqual([first, second]);
    expect(older).toMatchObject({ request_type: 'software_access', requester_id: employee.id, assignee_id: null, on_expiry: 'escalate', reminders_sent: 0 });
    expect(older.plan_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(older.plan.summary).toContain('Grant software access');
    // Eight hours around the clock (the policy has no calendar), counted from the request.
    expect(Date.parse(older.due_at) - Date.parse(older.requested_at)).toBe(8 * 3600 * 1000);
    expect(older.time_left_seconds).toBeGreaterThan(8 * 3600 - 60);
    expect(Date.parse(older.next_reminder_at) - Date.parse(older.requested_at)).toBe(4 * 3600 * 1000);
    const onePage = await request(url).get('/api/v1/approvals').query({ ticket_id: second }).auth(support.token, { type: 'bearer' }).expect(200);
    expect(onePage.body.approvals.map((approval: { ticket_id: string }) => approval.ticket_id)).toEqual([second]);
    // The requester never sees their own request among what waits for them (nor may employees list it).
    await request(url).get('/api/v1/approvals').auth(employee.token, { type: 'bearer' }).expect(403);

    const requested = (await trail(first)).filter((event) => event.type === 'approval_requested');
    expect(requested).toHaveLength(1);
    expect(requested[0].payload).toMatchObject({ approval_id: older.approval_id, plan_hash: older.plan_hash, on_expiry: 'escalate' });

    await respond(url, support.token, first, { approval: true, plan_hash: older.plan_hash }).expect(200);
    await waitForStatus(url, support.token, first, ['resolved']);
    expect((await approvals(support.token)).map((approval) => approval.ticket_id)).not.toContain(first);
    const [stored] = await testApp.sql(`SELECT state, decided_by FROM approvals WHERE id = $1`, [older.approval_id]);
    expect(stored).toEqual({ state: 'approved', decided_by: support.id });
  });

  it('refuses an approval whose expiry would approve a request type nobody marked low-risk', async () => {
    const refused = await useApprovals({ default: { due: 'PT1H', on_expiry: 'approve' } }).expect(400);
    expect(refused.body.message).toContain('low_risk');
    const typed = await useApprovals({ default: { due: 'PT1H' }, request_types: { software_access: { due: 'PT1H', on_expiry: 'approve' } } }).expect(400);
    expect(typed.body.message).toContain('software_access');
    const bad = await useApprovals({ default: { due: 'P1M' } }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('due');
    await useApprovals({ default: { due: 'PT1H' }, request_types: { unknown_type: { due: 'PT1H' } } }).expect(400);
  });

  it('reminds once per offset, then expires once into an escalation with the reason recorded, the clocks paused only meanwhile', async () => {
    await useApprovals({ default: { due: 'PT3S', reminders: ['PT1S', 'PT2S'], on_expiry: 'escalate' } }).expect(201);
    const ticketId = await fileAccessRequest();
    const requestBefore = await openRequest(ticketId);
    const escalated = await waitForStatus(url, support.token, ticketId, ['escalated']);
    expect(escalated.assignee_id).toBeNull();
    expect(escalated.plan_summary).toBe('Nobody decided on the approval in time, so a support engineer will take it from here.');

    await sleep(500); // a timer that fired twice would have done so by now
    const events = await trail(ticketId);
    expect(count(events, 'approval_requested')).toBe(1);
    expect(events.filter((event) => event.type === 'approval_reminder').map((event) => event.payload.reminder)).toEqual([1, 2]);
    expect(count(events, 'approval_expired')).toBe(1);
    expect(events.find((event) => event.type === 'approval_expired')!.payload).toMatchObject({ approval_id: requestBefore.approval_id, on_expiry: 'escalate' });
    const responses = events.filter((event) => event.type === 'hil_response');
    expect(responses).toHaveLength(1);
    expect(responses[0].payload).toMatchObject({ kind: 'approval', approval: null, expired: true, responder_id: null });
    // Paused while the approver was awaited, running again once the expiry handed the ticket to support.
    const sla = events.filter((event) => event.type.startsWith('sla_')).map((event) => `${event.type}:${event.payload.metric}`);
    expect(sla).toEqual(expect.arrayContaining(['sla_paused:resolution', 'sla_resumed:resolution']));

    const workflow = (await getWorkflow(url, support.token, ticketId).expect(200)).body;
    expect(workflow.human_responses.at(-1)).toMatchObject({ kind: 'approval', expiry: 'escalate', responder_id: null });
    // Too late now: nothing waits for a decision.
    await respond(url, support.token, ticketId, { approval: true }).expect(409);
    const [stored] = await testApp.sql(`SELECT state FROM approvals WHERE id = $1`, [requestBefore.approval_id]);
    expect(stored.state).toBe('expired');
  });

  it('denies on expiry, and approves on expiry only a request type an admin marked low-risk', async () => {
    await useApprovals({ default: { due: 'PT1S', on_expiry: 'deny' }, request_types: { software_access: { due: 'PT1S', on_expiry: 'approve', low_risk: true } } }).expect(201);
    const lowRisk = await fileAccessRequest();
    const approved = await waitForStatus(url, support.token, lowRisk, ['resolved']);
    expect(approved.resolution).toMatch(/^Approved automatically: nobody decided in time\. What happens next: support grants/);

    const denied = await fileAccessRequest({ request_type: 'account_access', title: 'Access to the finance share' });
    const outcome = await waitForStatus(url, support.token, denied, ['denied']);
    expect(outcome.resolution).toBe('Denied automatically: nobody decided in time.');
  });

  it('applies a person racing the expiry once: the loser gets 409 and changes nothing', async () => {
    await useApprovals({ default: { due: 'PT1S', on_expiry: 'escalate' } }).expect(201);
    const timers = testApp.app.get(ApprovalTimers);
    const outcomes: string[] = [];
    // The decision is sent around the due time, while this instance's timers look at once.
    for (const offsetMs of [-15, 0, 0, 15, 40]) {
      const ticketId = await fileAccessRequest();
      const open = await openRequest(ticketId);
      await sleep(Math.max(0, Date.parse(open.due_at) - Date.now() + offsetMs));
      const [decision] = await Promise.all([respond(url, support.token, ticketId, { approval: true }), timers.tick()]);
      const final = await waitForStatus(url, support.token, ticketId, ['resolved', 'escalated']);
      await sleep(200);
      const events = await trail(ticketId);
      expect(count(events, 'hil_response')).toBe(1);
      const [stored] = await testApp.sql(`SELECT state FROM approvals WHERE id = $1`, [open.approval_id]);
      if (decision.status === 200) {
        expect([final.status, count(events, 'approval_expired'), stored.state]).toEqual(['resolved', 0, 'approved']);
      } else {
        expect(decision.status).toBe(409);
        expect([final.status, count(events, 'approval_expired'), stored.state]).toEqual(['escalated', 1, 'expired']);
      }
      outcomes.push(final.status);
    }
    expect(outcomes).toHaveLength(5);
  });

  it('refuses an approval for a plan that changed, and raises a new request for the current one', async () => {
    await useApprovals({ default: { due: 'PT8H', on_expiry: 'escalate' } }).expect(201);
    const ticketId = await fileAccessRequest();
    const before = await openRequest(ticketId);
    // Support re-prioritises the ticket while the approval waits: the plan rests on its priority.
    await patchTicket(url, support.token, ticketId, { priority: 'critical' }).expect(200);
    const after = await openRequest(ticketId);
    expect(after.approval_id).not.toBe(before.approval_id);
    expect(after.plan_hash).not.toBe(before.plan_hash);
    expect(after.plan.priority).toBe('critical');
    const raised = (await trail(ticketId)).filter((event) => event.type === 'approval_requested');
    expect(raised.map((event) => event.payload.reason ?? 'first')).toEqual(['first', 'plan_changed']);
    expect(raised[1].payload.supersedes).toBe(before.approval_id);

    const stale = await respond(url, support.token, ticketId, { approval: true, plan_hash: before.plan_hash }).expect(409);
    expect(stale.body.message).toContain(after.approval_id);
    // A refusal clients can branch on without reading the message.
    expect(stale.body.code).toBe('plan_changed');
    expect((await request(url).get(`/api/v1/tickets/${ticketId}`).auth(support.token, { type: 'bearer' }).expect(200)).body.status).toBe('waiting_for_approval');
    await respond(url, support.token, ticketId, { approval: true, plan_hash: 'ab'.repeat(31) }).expect(400);

    const denied = await respond(url, support.token, ticketId, { approval: false, plan_hash: after.plan_hash, comments: 'Not for production data' });
    expect([denied.status, denied.body.message]).toEqual([200, undefined]);
    await waitForStatus(url, support.token, ticketId, ['denied']);
    const states = await testApp.sql(`SELECT state FROM approvals WHERE ticket_id = $1 ORDER BY requested_at`, [ticketId]);
    expect(states.map((row) => row.state)).toEqual(['superseded', 'denied']);
  });

  it('hands a support user’s approvals to a colleague for a period, and reminders name the delegate', async () => {
    await useApprovals({ default: { due: 'PT8H', reminders: ['PT4H'], on_expiry: 'escalate' } }).expect(201);
    const ticketId = await fileAccessRequest();
    const open = await openRequest(ticketId);
    await patchTicket(url, support.token, ticketId, { assignee_id: support.id }).expect(200);
    expect((await approvals(colleague.token)).map((approval) => approval.ticket_id)).not.toContain(ticketId);
    expect((await approvals(support.token)).map((approval) => approval.ticket_id)).toContain(ticketId);

    const delegations = (path = '') => request(url).post(`/api/v1/approvals/delegations${path}`);
    await delegations().auth(support.token, { type: 'bearer' }).send({ delegate_id: support.id, ends_at: new Date(Date.now() + 3600_000).toISOString() }).expect(400);
    await delegations().auth(support.token, { type: 'bearer' }).send({ delegate_id: employee.id, ends_at: new Date(Date.now() + 3600_000).toISOString() }).expect(400);
    await delegations().auth(support.token, { type: 'bearer' }).send({ delegate_id: colleague.id, ends_at: new Date(Date.now() - 1000).toISOString() }).expect(400);
    await delegations().auth(employee.token, { type: 'bearer' }).send({ delegate_id: colleague.id, ends_at: new Date(Date.now() + 3600_000).toISOString() }).expect(403);
    const given = await delegations().auth(support.token, { type: 'bearer' }).send({ delegate_id: colleague.id, ends_at: new Date(Date.now() + 3600_000).toISOString() }).expect(201);
    expect(given.body).toMatchObject({ delegator_id: support.id, delegate_id: colleague.id });

    const handed = (await approvals(colleague.token)).find((approval) => approval.ticket_id === ticketId);
    expect(handed).toMatchObject({ assignee_id: support.id, delegated_by: support.id });
    const listed = await request(url).get('/api/v1/approvals/delegations').auth(colleague.token, { type: 'bearer' }).expect(200);
    expect(listed.body.delegations.map((delegation: { delegation_id: string }) => delegation.delegation_id)).toContain(given.body.delegation_id);

    // The reminder names the approver and who stands in for them (its timer brought forward to now, once the
    // delegation is given: a reminder due at a set time could fire first on a busy machine).
    await testApp.sql(`UPDATE approvals SET next_timer_at = now() WHERE id = $1`, [open.approval_id]);
    let reminder: Record<string, any> | undefined;
    for (let i = 0; i < 200 && !reminder; i += 1) {
      reminder = (await trail(ticketId)).find((event) => event.type === 'approval_reminder')?.payload;
      if (!reminder) await sleep(100);
    }
    expect(reminder).toMatchObject({ approver_id: support.id, delegate_ids: [colleague.id] });

    await request(url).delete(`/api/v1/approvals/delegations/${given.body.delegation_id}`).auth(colleague.token, { type: 'bearer' }).expect(403);
    await request(url).delete(`/api/v1/approvals/delegations/${given.body.delegation_id}`).auth(support.token, { type: 'bearer' }).expect(204);
    expect((await approvals(colleague.token)).map((approval) => approval.ticket_id)).not.toContain(ticketId);
    const decided = await respond(url, colleague.token, ticketId, { approval: true });
    expect([decided.status, decided.body.message]).toEqual([200, undefined]);
    await waitForStatus(url, support.token, ticketId, ['resolved']);
  });

  const delegate = (token: string, body: Record<string, unknown>) => request(url).post('/api/v1/approvals/delegations').auth(token, { type: 'bearer' }).send(body);
  const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
  const delegationsOf = async (token: string) =>
    (await request(url).get('/api/v1/approvals/delegations').auth(token, { type: 'bearer' }).expect(200)).body.delegations as Array<Record<string, string>>;

  it('routes approvals and names in reminders only a delegation in force: not one that has ended, nor one yet to start', async () => {
    await useApprovals({ default: { due: 'PT8H', reminders: ['PT4H'], on_expiry: 'escalate' } }).expect(201);
    const ticketId = await fileAccessRequest();
    const open = await openRequest(ticketId);
    await patchTicket(url, support.token, ticketId, { assignee_id: support.id }).expect(200);
    const [ended, later, inForce] = [await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support')];
    const endedOne = await delegate(support.token, { delegate_id: ended.id, ends_at: inHours(1) }).expect(201);
    // Over an hour ago: what the API no longer takes, set in the database.
    await testApp.sql(`UPDATE approval_delegations SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = $1`, [endedOne.body.delegation_id]);
    await delegate(support.token, { delegate_id: later.id, starts_at: inHours(1), ends_at: inHours(2) }).expect(201);
    const mine = async (who: SignedIn) => (await approvals(who.token)).map((approval) => approval.ticket_id);
    expect(await mine(ended)).not.toContain(ticketId);
    expect(await mine(later)).not.toContain(ticketId);
    // And one in force, which does route: the two above are not left out for another reason.
    await delegate(support.token, { delegate_id: inForce.id, ends_at: inHours(1) }).expect(201);
    expect(await mine(inForce)).toContain(ticketId);

    // The reminder names the approver's delegates in force only (the timer is brought forward to now).
    await testApp.sql(`UPDATE approvals SET next_timer_at = now() WHERE id = $1`, [open.approval_id]);
    let reminder: Record<string, any> | undefined;
    for (let i = 0; i < 200 && !reminder; i += 1) {
      reminder = (await trail(ticketId)).find((event) => event.type === 'approval_reminder')?.payload;
      if (!reminder) await sleep(100);
    }
    expect(reminder).toMatchObject({ approver_id: support.id, delegate_ids: [inForce.id] });

    // A plan_hash of null is not a plan_hash left out: it does not skip the check of the plan.
    const withNull = await respond(url, support.token, ticketId, { approval: true, plan_hash: null }).expect(400);
    expect(withNull.body.detail).toContain('plan_hash');
    expect((await request(url).get(`/api/v1/tickets/${ticketId}`).auth(support.token, { type: 'bearer' }).expect(200)).body.status).toBe('waiting_for_approval');
    await respond(url, support.token, ticketId, { approval: true, plan_hash: open.plan_hash }).expect(200);
    await waitForStatus(url, support.token, ticketId, ['resolved']);
  });

  it('refuses a delegation that starts in the past, one more than ten per delegator, and one that closes a cycle', async () => {
    const [giver, taker, third] = [await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support')];
    const backDated = await delegate(giver.token, { delegate_id: taker.id, starts_at: new Date(Date.now() - 5 * 60_000).toISOString(), ends_at: inHours(1) }).expect(400);
    expect(backDated.body.detail).toMatch(/starts_at .*past/);
    // A client's clock a few seconds behind is no back-dating.
    const slightlyBehind = await delegate(giver.token, { delegate_id: taker.id, starts_at: new Date(Date.now() - 10_000).toISOString(), ends_at: inHours(1) }).expect(201);

    const cycle = await delegate(taker.token, { delegate_id: giver.id, starts_at: inHours(0.5), ends_at: inHours(3) }).expect(409);
    expect(cycle.body.detail).toContain(giver.id);
    await delegate(taker.token, { delegate_id: giver.id, starts_at: inHours(1), ends_at: inHours(3) }).expect(201); // after giver's ends: no cycle

    for (let i = 1; i < 10; i += 1) await delegate(giver.token, { delegate_id: third.id, starts_at: inHours(i), ends_at: inHours(i + 1) }).expect(201);
    const eleventh = await delegate(giver.token, { delegate_id: third.id, starts_at: inHours(20), ends_at: inHours(21) }).expect(409);
    expect(eleventh.body.detail).toMatch(/10 delegations/);
    await request(url).delete(`/api/v1/approvals/delegations/${slightlyBehind.body.delegation_id}`).auth(giver.token, { type: 'bearer' }).expect(204);
    await delegate(giver.token, { delegate_id: third.id, starts_at: inHours(20), ends_at: inHours(21) }).expect(201);
  });

  it('ends the delegations to someone who loses the support role or the account, for good', async () => {
    const [giver, demoted, departed] = [await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support')];
    await delegate(giver.token, { delegate_id: demoted.id, ends_at: inHours(1) }).expect(201);
    await delegate(giver.token, { delegate_id: demoted.id, starts_at: inHours(2), ends_at: inHours(3) }).expect(201);
    await delegate(giver.token, { delegate_id: departed.id, ends_at: inHours(1) }).expect(201);
    const delegatesOf = async () => (await delegationsOf(giver.token)).map((delegation) => delegation.delegate_id).sort();
    expect(await delegatesOf()).toEqual([demoted.id, demoted.id, departed.id].sort());

    await request(url).patch(`/api/v1/users/${demoted.id}/role`).auth(admin.token, { type: 'bearer' }).send({ role: 'user' }).expect(200);
    await request(url).delete(`/api/v1/users/${departed.id}`).auth(admin.token, { type: 'bearer' }).expect(204);
    let left = await delegatesOf();
    for (let i = 0; i < 100 && left.length > 0; i += 1) {
      await sleep(100);
      left = await delegatesOf();
    }
    expect(left).toEqual([]);
    // Made support again, they are not handed the approvals back by an old delegation.
    await request(url).patch(`/api/v1/users/${demoted.id}/role`).auth(admin.token, { type: 'bearer' }).send({ role: 'support' }).expect(200);
    expect(await delegatesOf()).toEqual([]);
    expect(await testApp.sql(`SELECT 1 FROM approval_delegations WHERE delegate_id = ANY($1::uuid[]) AND ends_at > now()`, [[demoted.id, departed.id]])).toEqual([]);
  });

  onServer('reminds and expires each approval once with two instances firing due timers at the same moment on one PostgreSQL', async () => {
    // Both instances look only when told here, at the same instant, so that both find the same timers due.
    testApp = await testApp.restart({ SLA_POLL_MS: '60000' });
    url = testApp.url;
    const other = await testApp.another({ SLA_POLL_MS: '60000' });
    const looks = [testApp, other].map((instance) => instance.app.get(ApprovalTimers));
    const lookTogether = () => Promise.all(looks.map((timers) => timers.tick()));
    try {
      await useApprovals({ default: { due: 'PT2S', reminders: ['PT1S'], on_expiry: 'escalate' } }).expect(201);
      const filed = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => (await fileRequest(i % 2 ? other.url : url, employee.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string),
      );
      for (const ticketId of filed) await waitForStatus(url, support.token, ticketId, ['waiting_for_approval']);
      const requests = await Promise.all(filed.map(openRequest));
      const lastDue = Math.max(...requests.map((open) => Date.parse(open.due_at)));
      const lastReminder = Math.max(...requests.map((open) => Date.parse(open.next_reminder_at)));
      await sleep(Math.max(0, lastReminder - Date.now()) + 20);
      await lookTogether();
      await lookTogether();
      await sleep(Math.max(0, lastDue - Date.now()) + 20);
      await lookTogether();
      await lookTogether();
      for (const ticketId of filed) await waitForStatus(url, support.token, ticketId, ['escalated'], 20_000);
      for (const ticketId of filed) {
        const events = await trail(ticketId);
        expect([count(events, 'approval_reminder'), count(events, 'approval_expired'), count(events, 'hil_response')]).toEqual([1, 1, 1]);
      }
    } finally {
      await other.close();
      testApp = await testApp.restart({ SLA_POLL_MS: '100' });
      url = testApp.url;
    }
  });

  it('keeps a due approval through a restart and expires it once after', async () => {
    await useApprovals({ default: { due: 'PT2S', on_expiry: 'escalate' } }).expect(201);
    const ticketId = await fileAccessRequest();
    await openRequest(ticketId);
    await testApp.stop();
    await sleep(2500); // due while no instance runs
    testApp = await testApp.restart({ SLA_POLL_MS: '100' });
    url = testApp.url;
    await waitForStatus(url, support.token, ticketId, ['escalated'], 20_000);
    expect(count(await trail(ticketId), 'approval_expired')).toBe(1);
  });
});
