// The support workflow end to end on the real database with the offline provider: one test per branch of
// the graph, who may answer and approve, the Local IT Support API's request and HIL shapes, and the live event sequence.
import request from 'supertest';
import { LlmService } from '../src/llm/llm.service';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { openStream } from './support/sse';
import { bootTestApp, TestApp } from './support/test-app';
import {
  ACCESS_REQUEST,
  fileRequest,
  getWorkflow,
  ingestKbDoc,
  KB_QUESTION,
  respond,
  UNKNOWN_REQUEST,
  VAGUE_REQUEST,
  waitForStatus,
} from './support/workflow';

describe('Support workflow (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;
  let sshDocId: string;

  beforeAll(async () => {
    testApp = await bootTestApp();
    url = testApp.url;
    admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
    sshDocId = await ingestKbDoc(url, admin.token, 'ssh-copy-id.1.md');
    await ingestKbDoc(url, admin.token, 'ssh-add.1.md');
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const events = async (ticketId: string) =>
    (await request(url).get(`/api/v1/tickets/${ticketId}/events?limit=100`).auth(admin.token, { type: 'bearer' }).expect(200)).body.events as Array<{
      type: string;
      payload: Record<string, any>;
    }>;

  describe('POST /request', () => {
    it('answers at once with the Local IT Support API’s shape, then runs the workflow in the background', async () => {
      const response = await fileRequest(url, alice.token, { ...ACCESS_REQUEST, employee_id: alice.employeeId }).expect(201);
      expect(response.body).toEqual({
        ticket_id: expect.any(String),
        decision: 'pending',
        plan_summary: null,
        status: 'pending',
        next_action: 'workflow_starting',
      });
      const ticket = await waitForStatus(url, alice.token, response.body.ticket_id, ['waiting_for_approval']);
      expect(ticket).toMatchObject({ requester_id: alice.id, employee_id: alice.employeeId, decision: 'pending_approval', next_action: 'awaiting_approval' });
    });

    it('refuses an employee_id other than the caller’s, and unknown fields, filing nothing', async () => {
      const before = (await request(url).get('/api/v1/tickets?limit=1&include_total=true').auth(bob.token, { type: 'bearer' }).expect(200)).body.total;
      const spoofed = await fileRequest(url, bob.token, { ...ACCESS_REQUEST, employee_id: alice.employeeId }).expect(400);
      expect(spoofed.body.message).toContain(`employee_id must be your own (${bob.employeeId})`);
      const unknown = await fileRequest(url, bob.token, { ...ACCESS_REQUEST, requester_id: alice.id }).expect(400);
      expect(unknown.body.message).toContain('Unknown field: requester_id');
      await fileRequest(url, bob.token, { ...ACCESS_REQUEST, priority: 'whenever' }).expect(400);
      await request(url).post('/api/v1/request').send(ACCESS_REQUEST).expect(401);
      expect((await request(url).get('/api/v1/tickets?limit=1&include_total=true').auth(bob.token, { type: 'bearer' }).expect(200)).body.total).toBe(before);
    });

    it('enters the workflow from POST /tickets too', async () => {
      const created = await request(url).post('/api/v1/tickets').auth(bob.token, { type: 'bearer' }).send(UNKNOWN_REQUEST).expect(201);
      const ticket = await waitForStatus(url, bob.token, created.body.ticket_id, ['escalated']);
      expect(ticket.decision).toBe('escalated');
    });
  });

  describe('branches of the graph', () => {
    it('resolves from the knowledge base when the plan is confident, citing the page', async () => {
      const response = await fileRequest(url, alice.token, KB_QUESTION, true).expect(201);
      expect(response.body).toMatchObject({ status: 'resolved', decision: 'auto_resolved', next_action: 'none' });
      expect(response.body.plan_summary).toContain('ssh-copy-id');
      const state = (await getWorkflow(url, alice.token, response.body.ticket_id).expect(200)).body;
      expect(state).toMatchObject({ run_state: 'done', step: 'done', pending: null, rule: { id: 'confident_answer', outcome: 'resolve' } });
      expect(state.plan.citations.map((citation: { document_id: string }) => citation.document_id)).toContain(sshDocId);
      expect(state.plan.confidence).toBeGreaterThanOrEqual(0.7);
      const ticket = (await request(url).get(`/api/v1/tickets/${response.body.ticket_id}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
      expect(ticket.resolution).toContain('1. ');
    });

    it('asks the requester when information is missing, and resolves after the answer', async () => {
      const filed = await fileRequest(url, alice.token, VAGUE_REQUEST, true).expect(201);
      expect(filed.body).toMatchObject({ status: 'waiting_for_user', decision: 'needs_info', next_action: 'awaiting_requester_input' });
      const ticketId = filed.body.ticket_id;
      const waiting = (await getWorkflow(url, alice.token, ticketId).expect(200)).body;
      expect(waiting).toMatchObject({ run_state: 'waiting', step: 'ask_user', rule: { id: 'missing_information' } });
      expect(waiting.pending).toMatchObject({ kind: 'question', rule: 'missing_information', interrupt_id: expect.any(String) });
      expect(waiting.pending.question).toMatch(/^Could you tell us what happens, since when, and any error message you see, so that we can go on with your request\?$/);
      // The question reaches the requester as a comment too.
      const comments = (await request(url).get(`/api/v1/tickets/${ticketId}/comments`).auth(alice.token, { type: 'bearer' }).expect(200)).body.comments;
      expect(comments).toEqual([expect.objectContaining({ author_id: null, body: waiting.pending.question })]);

      const answered = await respond(url, alice.token, ticketId, { answer: 'I want to use locally available keys to authorise logins on a remote machine with ssh-copy-id.' }).expect(200);
      expect(answered.body).toEqual({ ticket_id: ticketId, decision: 'pending', plan_summary: expect.any(String), status: 'in_progress', next_action: 'workflow_in_progress' });
      const resolved = await waitForStatus(url, alice.token, ticketId, ['resolved', 'escalated', 'error']);
      expect(resolved).toMatchObject({ status: 'resolved', decision: 'auto_resolved' });
      const done = (await getWorkflow(url, alice.token, ticketId).expect(200)).body;
      expect(done.rule.id).toBe('confident_answer');
      expect(done.plan.confidence).toBeGreaterThanOrEqual(0.7);
      expect(done.human_responses).toEqual([expect.objectContaining({ kind: 'answer', responder_id: alice.id, approval: null })]);
    });

    it('waits for approval on an access request, and resolves once support approves', async () => {
      const filed = await fileRequest(url, alice.token, ACCESS_REQUEST, true).expect(201);
      expect(filed.body).toMatchObject({ status: 'waiting_for_approval', decision: 'pending_approval' });
      expect(filed.body.plan_summary).toContain('Grant software access');
      const state = (await getWorkflow(url, alice.token, filed.body.ticket_id).expect(200)).body;
      expect(state).toMatchObject({ step: 'approval', rule: { id: 'software_access', outcome: 'approval' }, pending: { kind: 'approval' } });
      expect(state.triage).toMatchObject({ privileged: true, missing: [] });

      const approved = await respond(url, support.token, filed.body.ticket_id, {
        answer: 'Approved',
        approval: true,
        comments: 'Access granted for 30 days',
        approver_id: support.employeeId,
      }).expect(200);
      expect(approved.body).toMatchObject({ decision: 'approved', status: 'in_progress', next_action: 'workflow_in_progress' });
      const resolved = await waitForStatus(url, alice.token, filed.body.ticket_id, ['resolved', 'error']);
      expect(resolved).toMatchObject({ status: 'resolved', decision: 'approved' });
      expect(resolved.resolution).toMatch(/^Approved by Test User: “Access granted for 30 days”\. What happens next: support grants the software access you asked for/);
      const hil = (await events(filed.body.ticket_id)).filter((event) => event.type === 'hil_response');
      expect(hil).toEqual([expect.objectContaining({ payload: expect.objectContaining({ approval: true, approver_id: support.employeeId, comments: 'Access granted for 30 days' }) })]);
    });

    it('ends denied when the approver says no', async () => {
      const filed = await fileRequest(url, alice.token, ACCESS_REQUEST, true).expect(201);
      const denied = await respond(url, admin.token, filed.body.ticket_id, { approval: false, comments: 'Use the reporting replica instead' }, true).expect(200);
      expect(denied.body).toMatchObject({ status: 'denied', decision: 'denied', next_action: 'none' });
      const ticket = (await request(url).get(`/api/v1/tickets/${filed.body.ticket_id}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
      expect(ticket.resolution).toMatch(/^Denied by .+: “Use the reporting replica instead”\.$/);
    });

    it('escalates to the support queue when the knowledge base has no good answer', async () => {
      const filed = await fileRequest(url, bob.token, UNKNOWN_REQUEST, true).expect(201);
      expect(filed.body).toMatchObject({ status: 'escalated', decision: 'escalated', next_action: 'support_queue' });
      expect(filed.body.plan_summary).toBe('I could not find a how-to that answers this; a support engineer will take it from here.');
      const state = (await getWorkflow(url, bob.token, filed.body.ticket_id).expect(200)).body;
      expect(state.rule).toMatchObject({ id: 'low_confidence', outcome: 'escalate' });
      expect(state.plan.confidence).toBeLessThanOrEqual(0.2);
      const ticket = (await request(url).get(`/api/v1/tickets/${filed.body.ticket_id}`).auth(bob.token, { type: 'bearer' }).expect(200)).body;
      expect(ticket.assignee_id).toBeNull();
    });

    it('ends in error with error events when a step fails — the detail for staff, plain words for the requester — and writes nothing else', async () => {
      jest.spyOn(testApp.app.get(LlmService), 'retrieveContext').mockRejectedValue(new Error('the search index is unavailable'));
      const filed = await fileRequest(url, bob.token, UNKNOWN_REQUEST, true).expect(201);
      expect(filed.body).toMatchObject({ status: 'error', decision: 'error', next_action: 'support_review' });
      const stream = await events(filed.body.ticket_id);
      expect(stream.map((event) => [event.type, event.payload.status ?? null])).toEqual([
        ['workflow_update', 'pending'],
        ['workflow_update', 'in_progress'],
        ['error', null],
        ['error', null],
        ['workflow_update', 'error'],
      ]);
      expect(stream[2].payload).toEqual({ message: 'the search index is unavailable', internal: true });
      const plain = { message: 'The assistant could not finish this request; a member of the support team will take it over.' };
      expect(stream[3].payload).toEqual(plain);
      const bobs = (await request(url).get(`/api/v1/tickets/${filed.body.ticket_id}/events`).auth(bob.token, { type: 'bearer' }).expect(200)).body.events;
      expect(bobs.filter((event: { type: string }) => event.type === 'error').map((event: { payload: unknown }) => event.payload)).toEqual([plain]);
      // An errored ticket is not waiting for anyone.
      const late = await respond(url, admin.token, filed.body.ticket_id, { approval: true }).expect(409);
      expect(late.body.message).toContain('This ticket is error');
    });
  });

  describe('POST /hil: who may answer what', () => {
    let waitingForApproval: string;

    beforeAll(async () => {
      waitingForApproval = (await fileRequest(url, alice.token, ACCESS_REQUEST, true).expect(201)).body.ticket_id;
    });

    it('lets no plain user approve: the requester gets 403, anyone else 404', async () => {
      const own = await respond(url, alice.token, waitingForApproval, { approval: true }).expect(403);
      expect(own.body.message).toBe('Only support and admin can approve or deny a request');
      await respond(url, bob.token, waitingForApproval, { approval: true }).expect(404);
      await request(url).get(`/api/v1/workflow/${waitingForApproval}`).auth(bob.token, { type: 'bearer' }).expect(404);
    });

    it('never lets support approve their own request (segregation of duties)', async () => {
      const own = (await fileRequest(url, support.token, ACCESS_REQUEST, true).expect(201)).body.ticket_id;
      const response = await respond(url, support.token, own, { approval: true }).expect(403);
      expect(response.body.message).toContain('segregation of duties');
      expect((await getWorkflow(url, support.token, own).expect(200)).body.human_responses).toEqual([]);
    });

    it('refuses an approver_id naming anyone else, and a body that does not fit the question', async () => {
      const spoofed = await respond(url, support.token, waitingForApproval, { approval: true, approver_id: 'MANAGER001' }).expect(400);
      expect(spoofed.body.message).toContain(`approver_id must be your own employee id (${support.employeeId})`);
      const noDecision = await respond(url, support.token, waitingForApproval, { answer: 'looks fine' }).expect(400);
      expect(noDecision.body.message).toContain('send `approval`');
      await respond(url, support.token, waitingForApproval, { approval: 'yes' }).expect(400);
      await respond(url, support.token, waitingForApproval, { approval: true, approved_by: 'x' }).expect(400);
      await respond(url, support.token, 'not-a-uuid', { approval: true }).expect(400);
      await respond(url, support.token, '00000000-0000-4000-8000-000000000000', { approval: true }).expect(404);
      const state = await getWorkflow(url, alice.token, waitingForApproval).expect(200);
      expect(state.body).toMatchObject({ status: 'waiting_for_approval', human_responses: [] });
    });

    it('answers 409 naming the state when the ticket no longer waits for anyone', async () => {
      await respond(url, support.token, waitingForApproval, { approval: true }, true).expect(200);
      const again = await respond(url, admin.token, waitingForApproval, { approval: false, comments: 'Changed my mind' }).expect(409);
      expect(again.body.message).toBe('This ticket is resolved: it is not waiting for a person');
    });

    it('applies the Local IT Support API’s approval sent right after the request, once the workflow pauses', async () => {
      const filed = await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201);
      const approved = await respond(url, admin.token, filed.body.ticket_id, { answer: 'Approved', approval: true, approver_id: 'ADMIN' }).expect(200);
      expect(approved.body).toMatchObject({ status: 'in_progress', decision: 'approved' });
      await waitForStatus(url, alice.token, filed.body.ticket_id, ['resolved']);
    });
  });

  it('streams the exact sequence of one approval flow over SSE', async () => {
    const filed = await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201);
    const ticketId = filed.body.ticket_id;
    // From event 0: everything the ticket recorded since it was filed, then live.
    const stream = await openStream(`${url}/api/v1/events/${ticketId}`, { token: alice.token, lastEventId: '0' });
    try {
      await stream.waitFor((message) => message.data.status === 'waiting_for_approval');
      await respond(url, support.token, ticketId, { approval: true, comments: 'ok' }).expect(200);
      await stream.waitFor((message) => message.data.status === 'resolved');
      const sequence = stream.messages
        .filter((message) => message.data.type !== 'keepalive')
        .map((message) => [message.data.type, message.data.status ?? null, message.data.decision ?? null]);
      expect(sequence).toEqual([
        ['connected', null, null],
        ['workflow_update', 'pending', 'pending'],
        ['workflow_update', 'in_progress', 'pending'],
        ['workflow_update', 'waiting_for_approval', 'pending_approval'],
        ['hil_response', null, null],
        ['workflow_update', 'in_progress', 'approved'],
        ['workflow_update', 'resolved', 'approved'],
      ]);
      const hil = stream.messages.find((message) => message.data.type === 'hil_response')!;
      expect(hil.data).toMatchObject({ ticket_id: ticketId, approval: true, approver_id: support.employeeId, timestamp: expect.any(String) });
    } finally {
      stream.close();
    }
  });
});
