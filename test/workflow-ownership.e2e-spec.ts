// The workflow owns its state: POST /hil is decided by what the run waits for, staff act through commands
// (ask, retry) instead of status PATCHes, every segment write is fenced by its claim, waits cost nothing
// and end with the client, and each command is one transaction — checked on the real database.
import request from 'supertest';
import { LlmService } from '../src/llm/llm.service';
import { RunWaiter } from '../src/workflow/run-waiter';
import { TicketsRepository } from '../src/tickets/tickets.repository';
import { WorkflowQueue } from '../src/workflow/workflow.queue';
import { WorkflowRepository } from '../src/workflow/workflow.repository';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, getWorkflow, respond, UNKNOWN_REQUEST, VAGUE_REQUEST, waitForStatus } from './support/workflow';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, failing after `timeoutMs` (a bound on a server-side event, not a measured delay). */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
  }
}

describe('The workflow owns its state (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;

  beforeAll(async () => {
    // A lease of a second, looked after every 100 ms: a lapsed lease is noticed quickly.
    testApp = await bootTestApp({ WORKFLOW_LEASE_SECONDS: '1', WORKFLOW_POLL_MS: '100' });
    url = testApp.url;
    admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const runOf = async (ticketId: string) => (await testApp.sql(`SELECT * FROM workflow_runs WHERE ticket_id = $1`, [ticketId]))[0];
  const patch = (token: string, ticketId: string, body: Record<string, unknown>) =>
    request(url).patch(`/api/v1/tickets/${ticketId}`).auth(token, { type: 'bearer' }).send(body);
  const command = (token: string, ticketId: string, name: 'ask' | 'retry', body: Record<string, unknown> = {}) =>
    request(url).post(`/api/v1/workflow/${ticketId}/${name}`).auth(token, { type: 'bearer' }).send(body);
  // The trail as it stands once the projections have derived what its commits set off (SLA events among them).
  const events = async (ticketId: string) =>
    (await testApp.caughtUp(), await request(url).get(`/api/v1/tickets/${ticketId}/events?limit=500`).auth(admin.token, { type: 'bearer' }).expect(200)).body.events as Array<{
      type: string;
      payload: Record<string, any>;
    }>;
  const steps = async (ticketId: string) => (await events(ticketId)).filter((event) => event.type === 'workflow_update').map((event) => event.payload.step ?? event.payload.change);
  const comments = async (token: string, ticketId: string) =>
    (await request(url).get(`/api/v1/tickets/${ticketId}/comments`).auth(token, { type: 'bearer' }).expect(200)).body.comments as Array<{ author_id: string | null; body: string }>;
  const waitingForApproval = async () => {
    const ticketId = (await fileRequest(url, alice.token, ACCESS_REQUEST, true).expect(201)).body.ticket_id as string;
    expect((await runOf(ticketId)).state).toBe('waiting');
    return ticketId;
  };
  /** Holds every plan being composed until `release()`: a run segment that is mid-way for as long as the test wants. */
  const holdPlans = () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const llm = testApp.app.get(LlmService);
    const compose = llm.composePlan.bind(llm);
    const plans = jest.spyOn(llm, 'composePlan').mockImplementation(async (...args) => {
      await held;
      return compose(...args);
    });
    return { plans, release };
  };
  const escalated = async () => {
    const ticketId = (await fileRequest(url, alice.token, UNKNOWN_REQUEST, true).expect(201)).body.ticket_id as string;
    expect((await waitForStatus(url, alice.token, ticketId, ['escalated'])).status).toBe('escalated');
    return ticketId;
  };

  describe('staff moves and workflow moves', () => {
    it('refuses to PATCH a ticket that waits for approval into in_progress, naming POST /hil, and the approval still works', async () => {
      const ticketId = await waitingForApproval();
      const refused = await patch(support.token, ticketId, { status: 'in_progress' }).expect(409);
      expect(refused.body.detail).toContain(`POST /api/v1/hil/${ticketId}`);
      expect((await getWorkflow(url, alice.token, ticketId).expect(200)).body).toMatchObject({ status: 'waiting_for_approval', run_state: 'waiting', step: 'approval' });
      await respond(url, support.token, ticketId, { approval: true, comments: 'ok' }, true).expect(200);
      expect((await waitForStatus(url, alice.token, ticketId, ['resolved'])).decision).toBe('approved');
    });

    it('refuses to PATCH into waiting_for_user or waiting_for_approval, naming the command to use, and changes nothing', async () => {
      const ticketId = await escalated();
      await patch(support.token, ticketId, { status: 'in_progress' }).expect(200);
      const ask = await patch(support.token, ticketId, { status: 'waiting_for_user', priority: 'low' }).expect(409);
      expect(ask.body.detail).toContain(`POST /api/v1/workflow/${ticketId}/ask`);
      const approve = await patch(support.token, ticketId, { status: 'waiting_for_approval' }).expect(409);
      expect(approve.body.detail).toContain(`POST /api/v1/workflow/${ticketId}/retry`);
      const ticket = (await request(url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
      expect(ticket).toMatchObject({ status: 'in_progress', priority: UNKNOWN_REQUEST.priority });
    });

    it('still lets support close a ticket the workflow holds, which ends the run', async () => {
      const ticketId = await waitingForApproval();
      await patch(support.token, ticketId, { status: 'denied', comment: 'Not needed after all' }).expect(200);
      await until(async () => (await runOf(ticketId)).state === 'done', 'the run ends');
      await respond(url, admin.token, ticketId, { approval: true }).expect(409);
    });
  });

  describe('POST /workflow/{id}/ask', () => {
    it('asks the requester on an escalated ticket; the answer resumes the assistant on the same thread, never in error', async () => {
      const ticketId = await escalated();
      await command(alice.token, ticketId, 'ask', { question: 'Which room?' }).expect(403);
      const asked = await command(support.token, ticketId, 'ask', { question: 'Which meeting room is it, and since when?' }).expect(200);
      expect(asked.body).toMatchObject({ status: 'waiting_for_user', next_action: 'awaiting_requester_input' });
      const state = (await getWorkflow(url, alice.token, ticketId).expect(200)).body;
      expect(state).toMatchObject({ run_state: 'waiting', step: 'ask_user' });
      expect(state.pending).toMatchObject({ kind: 'question', source: 'staff', asked_by: support.id, question: 'Which meeting room is it, and since when?' });
      // Asked once: while the run waits for the answer, support cannot ask or retry over it.
      await command(support.token, ticketId, 'ask', { question: 'Again?' }).expect(409);
      await command(support.token, ticketId, 'retry').expect(409);

      await respond(url, alice.token, ticketId, { answer: 'Room Aurora, since Monday; the projector hums whenever it is on.' }, true).expect(200);
      const after = await waitForStatus(url, alice.token, ticketId, ['escalated', 'resolved', 'waiting_for_approval', 'waiting_for_user', 'error']);
      expect(after.status).toBe('escalated');
      expect((await events(ticketId)).filter((event) => event.type === 'error')).toEqual([]);
      // The graph went back to retrieval with the answer: the same thread, one more pass, the answer recorded.
      expect((await steps(ticketId)).slice(-3)).toEqual(['ask', 'ask_user', 'escalate']);
      const final = (await getWorkflow(url, alice.token, ticketId).expect(200)).body;
      expect(final.human_responses).toEqual([expect.objectContaining({ kind: 'answer', responder_id: alice.id, source: 'staff' })]);
      // Support reads the whole exchange in the conversation: the question by the asker, the answer by the requester.
      expect((await comments(alice.token, ticketId)).map((comment) => [comment.author_id, comment.body])).toEqual([
        [support.id, 'Which meeting room is it, and since when?'],
        [alice.id, 'Room Aurora, since Monday; the projector hums whenever it is on.'],
      ]);
    });

    it('keeps the owner: support who took the ticket and asked still has it when the answer escalates it again', async () => {
      const ticketId = await escalated();
      await patch(support.token, ticketId, { assignee_id: support.id }).expect(200);
      await command(support.token, ticketId, 'ask', { question: 'Which meeting room is it?' }).expect(200);
      await respond(url, alice.token, ticketId, { answer: 'Room Aurora; the projector hums whenever it is on.' }, true).expect(200);
      const after = await waitForStatus(url, alice.token, ticketId, ['escalated', 'resolved', 'error']);
      expect(after).toMatchObject({ status: 'escalated', assignee_id: support.id });
    });

    it('puts the graph’s own question and the requester’s answer in the conversation too', async () => {
      const ticketId = (await fileRequest(url, alice.token, VAGUE_REQUEST, true).expect(201)).body.ticket_id as string;
      await respond(url, alice.token, ticketId, { answer: 'My ssh key is rejected by the build server since this morning.' }, true).expect(200);
      const conversation = await comments(alice.token, ticketId);
      expect(conversation[0]).toMatchObject({ author_id: null, body: expect.stringContaining('Could you tell us') });
      expect(conversation[1]).toEqual(expect.objectContaining({ author_id: alice.id, body: 'My ssh key is rejected by the build server since this morning.' }));
    });

    it('refuses to ask while the workflow holds the ticket, and on a closed ticket', async () => {
      const holding = await waitingForApproval();
      expect((await command(support.token, holding, 'ask', { question: 'Why?' }).expect(409)).body.detail).toContain('waiting_for_approval');
      await patch(support.token, holding, { status: 'resolved' }).expect(200);
      expect((await command(support.token, holding, 'ask', { question: 'Why?' }).expect(409)).body.detail).toContain('resolved');
      await command(support.token, holding, 'ask', { question: '' }).expect(400);
      await command(support.token, holding, 'ask', { question: 'ok', extra: 1 }).expect(400);
    });
  });

  describe('POST /workflow/{id}/retry', () => {
    it('retries a failed run: it resumes and reaches a legal state; /hil meanwhile answers 409 naming the status', async () => {
      jest.spyOn(testApp.app.get(LlmService), 'composePlan').mockRejectedValueOnce(new Error('The model is down'));
      const ticketId = (await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string;
      expect((await waitForStatus(url, alice.token, ticketId, ['error'])).status).toBe('error');
      expect((await respond(url, admin.token, ticketId, { approval: true }).expect(409)).body.message).toContain('This ticket is error');
      await command(alice.token, ticketId, 'retry').expect(403);
      const retried = await command(support.token, ticketId, 'retry').expect(200);
      expect(retried.body).toMatchObject({ status: 'in_progress' });
      expect((await waitForStatus(url, alice.token, ticketId, ['waiting_for_approval', 'error'])).status).toBe('waiting_for_approval');
      await until(async () => (await runOf(ticketId)).state === 'waiting', 'the run pauses');
      expect(await runOf(ticketId)).toMatchObject({ state: 'waiting', attempts: 0, pending: expect.objectContaining({ kind: 'approval' }) });
      await respond(url, admin.token, ticketId, { approval: true }, true).expect(200);
      expect((await waitForStatus(url, alice.token, ticketId, ['resolved'])).status).toBe('resolved');
    });

    it('lets the assistant try an escalated ticket again, from retrieval, once the knowledge base may have changed', async () => {
      const ticketId = await escalated();
      await command(support.token, ticketId, 'retry').expect(200);
      expect((await waitForStatus(url, alice.token, ticketId, ['escalated', 'error'])).status).toBe('escalated');
      expect((await steps(ticketId)).slice(-2)).toEqual(['retry', 'escalate']);
      // Resolved tickets are not retried.
      await patch(support.token, ticketId, { status: 'resolved' }).expect(200);
      expect((await command(support.token, ticketId, 'retry').expect(409)).body.detail).toContain('resolved');
    });
  });

  describe('fenced claims', () => {
    it('never requeues or relaunches a run this instance still executes, even when its lease lapses', async () => {
      const repository = testApp.app.get(WorkflowRepository);
      // Missed heartbeats (a stalled event loop, a slow database): the lease lapses while the run executes.
      jest.spyOn(repository, 'renewLeases').mockResolvedValue(undefined);
      const { plans, release } = holdPlans();
      const ticketId = (await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string;
      await until(() => plans.mock.calls.length > 0, 'the plan is being composed');
      await until(async () => new Date((await runOf(ticketId)).lease_until).getTime() < Date.now() - 500, 'the lease lapses');
      await sleep(400); // several looks at the queue (every 100 ms) with the lease lapsed
      expect(await runOf(ticketId)).toMatchObject({ state: 'running', fence: '1' });
      release();
      expect((await waitForStatus(url, alice.token, ticketId, ['waiting_for_approval', 'error'])).status).toBe('waiting_for_approval');
      expect(plans).toHaveBeenCalledTimes(1);
      expect(await steps(ticketId)).toEqual(['created', 'start', 'request_approval']);
    });

    it('refuses the late writes of a claim that was taken over: nothing is written twice, nothing by the stale one', async () => {
      const { plans, release } = holdPlans();
      const queue = testApp.app.get(WorkflowQueue);
      const ticketId = (await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string;
      await until(() => plans.mock.calls.length > 0 && queue.executing === 1, 'the run is mid-way, composing its plan');
      // Another instance takes the run over (its lease lapsed there): a new claim, a new fence.
      const other = '00000000-0000-4000-8000-00000000beef';
      await testApp.sql(`UPDATE workflow_runs SET fence = fence + 1, locked_by = $2, lease_until = now() + interval '1 minute' WHERE ticket_id = $1`, [ticketId, other]);
      const before = await events(ticketId);
      release();
      await until(() => queue.executing === 0, 'the stale execution stops');
      // Its next write (the approval request) was refused, and so was its end of the run.
      expect(await events(ticketId)).toEqual(before);
      expect(await runOf(ticketId)).toMatchObject({ state: 'running', locked_by: other, fence: '2' });
      expect((await request(url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body.status).toBe('in_progress');
      // Hand it back so the rest of the suite finds a clean queue.
      await testApp.sql(`UPDATE workflow_runs SET state = 'done', locked_by = NULL WHERE ticket_id = $1`, [ticketId]);
    });
  });

  it('ends an abandoned ?wait=true as soon as the client disconnects', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(testApp.app.get(LlmService), 'triage').mockImplementation(async () => {
      await held;
      throw new Error('released');
    });
    const waiter = testApp.app.get(RunWaiter);
    const clients = Array.from({ length: 5 }, () => new AbortController());
    const requests = clients.map((client) =>
      fetch(`${url}/api/v1/request?wait=true`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bob.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(ACCESS_REQUEST),
        signal: client.signal,
      }).catch((error: Error) => error.name),
    );
    await until(() => waiter.activeWaits === 5, 'five requests wait');
    clients.forEach((client) => client.abort());
    expect(await Promise.all(requests)).toEqual(Array(5).fill('AbortError'));
    // The server lets go of every wait at once, long before WORKFLOW_TIMEOUT (300 s): nothing polls on.
    await until(() => waiter.activeWaits === 0, 'the waits end', 2000);
    release();
  });

  describe('one transaction per command', () => {
    it('leaves nothing behind when a human response fails after its first write', async () => {
      const ticketId = await waitingForApproval();
      const before = { events: await events(ticketId), run: await runOf(ticketId), comments: await comments(admin.token, ticketId) };
      jest.spyOn(testApp.app.get(WorkflowRepository), 'answerPending').mockRejectedValueOnce(new Error('injected failure'));
      await respond(url, support.token, ticketId, { approval: true, comments: 'ok' }).expect(500);
      expect(await events(ticketId)).toEqual(before.events);
      expect(await comments(admin.token, ticketId)).toEqual(before.comments);
      expect(await runOf(ticketId)).toEqual(before.run);
      expect((await request(url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body.status).toBe('waiting_for_approval');
      // And the command still works afterwards.
      await respond(url, support.token, ticketId, { approval: true, comments: 'ok' }, true).expect(200);
    });

    it('leaves no question, comment or status behind when asking fails after its first write', async () => {
      const ticketId = await escalated();
      const before = { events: await events(ticketId), run: await runOf(ticketId), comments: await comments(admin.token, ticketId) };
      jest.spyOn(testApp.app.get(WorkflowRepository), 'waitForStaffQuestion').mockRejectedValueOnce(new Error('injected failure'));
      await command(support.token, ticketId, 'ask', { question: 'Which room?' }).expect(500);
      expect(await events(ticketId)).toEqual(before.events);
      expect(await comments(admin.token, ticketId)).toEqual(before.comments);
      expect(await runOf(ticketId)).toEqual(before.run);
    });

    it('leaves the ticket untouched when a workflow step finds its claim superseded', async () => {
      // The step writes under its claim in one statement, or locks the ticket under it: as if another claim had taken the run.
      const tickets = testApp.app.get(TicketsRepository);
      jest.spyOn(tickets, 'updateAsExpected').mockResolvedValueOnce(null);
      jest.spyOn(tickets, 'findByIdForUpdateUnderClaim').mockResolvedValueOnce(null);
      const ticketId = (await fileRequest(url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string;
      const queue = testApp.app.get(WorkflowQueue);
      await until(async () => (await runOf(ticketId))?.state === 'running' || (await runOf(ticketId))?.state === 'waiting', 'the run starts');
      await until(() => queue.executing === 0, 'the execution stops');
      // The `start` step found its claim gone before writing in_progress: nothing was written.
      expect(await steps(ticketId)).toEqual(['created']);
      expect((await request(url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body.status).toBe('pending');
      await testApp.sql(`UPDATE workflow_runs SET state = 'done', locked_by = NULL WHERE ticket_id = $1`, [ticketId]);
    });
  });
});
