// Who may decide, by every route: nobody settles a request they filed themselves — not by approving it
// (POST /hil), nor by moving its status (PATCH), retrying or asking on it — and a request an approver
// denied becomes resolved only through a new approval by someone else, never by a status move.
import request from 'supertest';
import { signInAdmin, signUpAs, SignedIn } from '../support/http';
import { bootTestApp, TestApp } from '../support/test-app';
import { ACCESS_REQUEST, fileRequest, respond, waitForStatus } from '../support/workflow';

describe('Decision rights on every route (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let filer: SignedIn;
  let approver: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp();
    url = testApp.url;
    admin = await signInAdmin(url);
    // Two support engineers: one files a request of their own, the other decides it.
    [filer, approver] = [await signUpAs(url, admin.token, 'support'), await signUpAs(url, admin.token, 'support')];
  });
  afterAll(() => testApp.close());

  const patch = (token: string, ticketId: string, body: Record<string, unknown>) =>
    request(url).patch(`/api/v1/tickets/${ticketId}`).auth(token, { type: 'bearer' }).send(body);
  const command = (token: string, ticketId: string, name: 'ask' | 'retry', body: Record<string, unknown> = {}) =>
    request(url).post(`/api/v1/workflow/${ticketId}/${name}`).auth(token, { type: 'bearer' }).send(body);
  const ticketOf = async (ticketId: string) => (await request(url).get(`/api/v1/tickets/${ticketId}`).auth(admin.token, { type: 'bearer' }).expect(200)).body;
  const waitingRequestOf = async (token: string) => {
    const ticketId = (await fileRequest(url, token, ACCESS_REQUEST, true).expect(201)).body.ticket_id as string;
    expect((await ticketOf(ticketId)).status).toBe('waiting_for_approval');
    return ticketId;
  };

  it('refuses the filer every way of settling their own waiting request, and changes nothing', async () => {
    const ticketId = await waitingRequestOf(filer.token);
    const refusals = [
      await respond(url, filer.token, ticketId, { approval: true }),
      await patch(filer.token, ticketId, { status: 'resolved' }),
      await patch(filer.token, ticketId, { status: 'denied' }),
      await patch(filer.token, ticketId, { status: 'escalated' }),
      await patch(filer.token, ticketId, { status: 'resolved', comment: 'done it myself' }),
    ];
    expect(refusals.map((reply) => reply.status)).toEqual([403, 403, 403, 403, 403]);
    for (const reply of refusals) expect(reply.body.detail).toMatch(/your own request/);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'waiting_for_approval', decision: 'pending_approval' });
    // Someone else may.
    await respond(url, approver.token, ticketId, { approval: true }, true).expect(200);
    expect((await ticketOf(ticketId)).status).toBe('resolved');
  });

  it('refuses the filer a retry, a question and a reopening of their own request', async () => {
    const ticketId = await waitingRequestOf(filer.token);
    await patch(approver.token, ticketId, { status: 'escalated' }).expect(200);
    for (const reply of [await command(filer.token, ticketId, 'retry'), await command(filer.token, ticketId, 'ask', { question: 'Who needs it?' })]) {
      expect(reply.status).toBe(403);
      expect(reply.body.detail).toMatch(/your own request/);
    }
    await patch(approver.token, ticketId, { status: 'denied' }).expect(200);
    expect((await patch(filer.token, ticketId, { status: 'in_progress' }).expect(403)).body.detail).toMatch(/your own request/);
    // Fields that settle nothing stay theirs to change like anyone's on staff.
    await patch(filer.token, ticketId, { category: 'access' }).expect(200);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'denied', category: 'access' });
  });

  it('never resolves a denied request by a status move, only through a new approval by someone else', async () => {
    const ticketId = (await fileRequest(url, admin.token, { ...ACCESS_REQUEST, title: 'Admin rights on the build server' }, true).expect(201)).body.ticket_id as string;
    await respond(url, approver.token, ticketId, { approval: false, comments: 'Not for this team' }, true).expect(200);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'denied', decision: 'denied' });

    // "Granted anyway": reopened, then resolved by hand — refused at the resolution, whoever tries.
    await patch(approver.token, ticketId, { status: 'in_progress' }).expect(200);
    const refused = await patch(filer.token, ticketId, { status: 'resolved' }).expect(409);
    expect(refused.body.detail).toMatch(/denied.*new approval/);
    await patch(approver.token, ticketId, { status: 'escalated' }).expect(200);
    await patch(approver.token, ticketId, { status: 'resolved', comment: 'granted anyway' }).expect(409);
    expect((await ticketOf(ticketId)).status).toBe('escalated');

    // The way that works: the assistant plans it again and asks for a new approval, which someone else gives.
    await command(approver.token, ticketId, 'retry').expect(200);
    expect((await waitForStatus(url, admin.token, ticketId, ['waiting_for_approval', 'error'])).status).toBe('waiting_for_approval');
    await patch(approver.token, ticketId, { status: 'resolved' }).expect(409);
    await respond(url, filer.token, ticketId, { approval: true }, true).expect(200);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'resolved', decision: 'approved' });
  });

  it('lets a denied request be retried straight from denied, still needing a new approval', async () => {
    const ticketId = await waitingRequestOf(filer.token);
    await respond(url, approver.token, ticketId, { approval: false, comments: 'No' }, true).expect(200);
    await command(approver.token, ticketId, 'retry').expect(200);
    expect((await waitForStatus(url, admin.token, ticketId, ['waiting_for_approval', 'error'])).status).toBe('waiting_for_approval');
    await respond(url, filer.token, ticketId, { approval: true }).expect(403);
    await respond(url, admin.token, ticketId, { approval: true }, true).expect(200);
    expect((await ticketOf(ticketId)).status).toBe('resolved');
  });
});
