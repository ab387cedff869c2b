// The workflow's operating limits and durability: a paused run survives a restart, a run whose process
// died is taken over, a run in flight at shutdown is handed back, the concurrency cap holds under a burst, a
// run that overruns WORKFLOW_TIMEOUT stops for good, a ticket closed by hand ends its run, and old
// checkpoints are pruned while the summary stays.
// One app per file; a test restarts it (same database) only when it needs another environment.
import request from 'supertest';
import { LlmService } from '../src/llm/llm.service';
import { CheckpointPruner } from '../src/workflow/checkpoint-pruner';
import { WorkflowRepository } from '../src/workflow/workflow.repository';
import { signInAdmin, signUp, SignedIn } from './support/http';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, getWorkflow, respond, UNKNOWN_REQUEST, waitForStatus } from './support/workflow';

// One requester files dozens of requests here to load the queue: past the per-user limit (test/security/limits).
const BASE_ENV = { MAX_CONCURRENT_WORKFLOWS: '10', WORKFLOW_TIMEOUT: '60', WORKFLOW_CHECKPOINT_RETENTION_DAYS: '7', LIMIT_REQUESTS_PER_WINDOW: '1000' };
const CHECKPOINT_TABLES = ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'];
const onServer = Boolean(process.env.TEST_DATABASE_URL);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Workflow operations (e2e)', () => {
  let testApp: TestApp;
  let admin: { token: string; id: string };
  let alice: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp(BASE_ENV);
    admin = await signInAdmin(testApp.url);
    alice = await signUp(testApp.url);
  });
  afterAll(() => testApp?.close());
  afterEach(() => jest.restoreAllMocks());

  /** Restarts the app (same database) unless it already runs with these settings. */
  async function useEnv(overrides: Record<string, string>): Promise<void> {
    if (Object.entries(overrides).every(([name, value]) => testApp.env[name] === value)) return;
    testApp = await testApp.restart(overrides);
  }

  const runOf = async (ticketId: string) => (await testApp.sql(`SELECT * FROM workflow_runs WHERE ticket_id = $1`, [ticketId]))[0];
  /** The run's record once it is in `state` (it is closed just after the ticket's last change), or as it is after 10 s. */
  const settledRun = async (ticketId: string, state: string) => {
    let run = await runOf(ticketId);
    for (const deadline = Date.now() + 10000; run?.state !== state && Date.now() < deadline; await sleep(50)) run = await runOf(ticketId);
    return run;
  };
  const checkpointRows = async (ticketId: string) => {
    const counts: Record<string, number> = {};
    for (const table of CHECKPOINT_TABLES) {
      counts[table] = (await testApp.sql<{ n: number }>(`SELECT count(*)::int AS n FROM langgraph.${table} WHERE thread_id = $1`, [ticketId]))[0].n;
    }
    return counts;
  };
  const events = async (ticketId: string) =>
    (await request(testApp.url).get(`/api/v1/tickets/${ticketId}/events?limit=500`).auth(admin.token, { type: 'bearer' }).expect(200)).body as {
      events: Array<{ id: string; type: string; payload: Record<string, any> }>;
      count: number;
    };
  const steps = async (ticketId: string) =>
    (await events(ticketId)).events.filter((event) => event.type === 'workflow_update').map((event) => event.payload.step ?? event.payload.change);

  it('keeps a paused run across a restart: the new instance applies the approval and resolves the ticket', async () => {
    const filed = await fileRequest(testApp.url, alice.token, ACCESS_REQUEST, true).expect(201);
    expect(filed.body).toMatchObject({ status: 'waiting_for_approval', decision: 'pending_approval', next_action: 'awaiting_approval' });
    const ticketId = filed.body.ticket_id;
    const paused = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
    expect(paused).toMatchObject({ run_state: 'waiting', step: 'approval', pending: { kind: 'approval', rule: 'software_access', interrupt_id: expect.any(String) } });

    testApp = await testApp.restart();

    const reloaded = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
    expect(reloaded).toMatchObject({ run_state: 'waiting', step: 'approval', pending: paused.pending });
    const approved = await respond(testApp.url, admin.token, ticketId, { approval: true, comments: 'Fine for the quarter' }, true).expect(200);
    expect(approved.body).toMatchObject({ ticket_id: ticketId, status: 'resolved', decision: 'approved', next_action: 'none' });

    const ticket = (await request(testApp.url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
    expect(ticket.resolution).toContain('Fine for the quarter');
    const state = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
    expect(state).toMatchObject({ status: 'resolved', run_state: 'done', step: 'done', pending: null, rule: { id: 'software_access', outcome: 'approval' } });
    expect(state.human_responses).toEqual([
      expect.objectContaining({ kind: 'approval', approval: true, comments: 'Fine for the quarter', responder_id: admin.id }),
    ]);
    // Resumed from the checkpoint, not rerun from the start: each step once.
    expect(await steps(ticketId)).toEqual(['created', 'start', 'request_approval', 'approval', 'resolve']);
    expect(await runOf(ticketId)).toMatchObject({ state: 'done', resume: null, locked_by: null, lease_until: null, attempts: 0 });
  });

  it('takes over the runs of a process that died, adopts unqueued tickets, and gives up a run that keeps dying', async () => {
    await useEnv({ MAX_CONCURRENT_WORKFLOWS: '0' });
    const file = async (body: Record<string, unknown>) => (await fileRequest(testApp.url, alice.token, body).expect(201)).body;
    const [crashed, held, doomed, orphan] = [await file(ACCESS_REQUEST), await file(ACCESS_REQUEST), await file(UNKNOWN_REQUEST), await file(UNKNOWN_REQUEST)];
    // An intake-only instance queues the runs and starts none of them.
    expect(crashed).toMatchObject({ status: 'pending', next_action: 'workflow_starting' });
    await sleep(300);
    expect((await runOf(crashed.ticket_id)).state).toBe('queued');

    // What a process that died mid-run leaves behind: its runs `running` under its id, the tickets in progress.
    const died = async (ticketId: string, lease: string, attempts: number) => {
      await testApp.sql(`UPDATE workflow_runs SET state = 'running', locked_by = gen_random_uuid(), lease_until = now() + $2::interval, attempts = $3 WHERE ticket_id = $1`, [
        ticketId,
        lease,
        attempts,
      ]);
      await testApp.sql(`UPDATE tickets SET status = 'in_progress', next_action = 'workflow_in_progress' WHERE id = $1`, [ticketId]);
    };
    await died(crashed.ticket_id, '-1 minute', 1);
    // A lease still in force: on a shared server another live instance may own it.
    await died(held.ticket_id, '10 minutes', 1);
    await died(doomed.ticket_id, '-1 minute', 3);
    // Created by a process that stopped before it queued the run.
    await testApp.sql(`DELETE FROM workflow_runs WHERE ticket_id = $1`, [orphan.ticket_id]);
    const heldBy = (await runOf(held.ticket_id)).locked_by;

    await useEnv({ MAX_CONCURRENT_WORKFLOWS: '5' });

    expect(await waitForStatus(testApp.url, alice.token, crashed.ticket_id, ['waiting_for_approval'])).toMatchObject({ decision: 'pending_approval' });
    if (onServer) {
      // Another instance may still be alive: its run is left alone while its lease is in force…
      const stillHeld = await runOf(held.ticket_id);
      await testApp.sql(`UPDATE workflow_runs SET lease_until = now() - interval '1 second' WHERE ticket_id = $1`, [held.ticket_id]);
      expect(stillHeld).toMatchObject({ state: 'running', locked_by: heldBy });
    }
    expect(await waitForStatus(testApp.url, alice.token, orphan.ticket_id, ['escalated'])).toMatchObject({ decision: 'escalated' });
    const doomedTicket = await waitForStatus(testApp.url, alice.token, doomed.ticket_id, ['error', 'escalated']);
    expect(doomedTicket.status).toBe('error');
    const doomedError = (await events(doomed.ticket_id)).events.find((event) => event.type === 'error' && event.payload.internal);
    expect(doomedError?.payload.message).toMatch(/interrupted 3 times/);
    expect(await settledRun(crashed.ticket_id, 'waiting')).toMatchObject({ state: 'waiting', locked_by: null, attempts: 0 });
    expect(await settledRun(orphan.ticket_id, 'done')).toMatchObject({ state: 'done', locked_by: null });
    expect(await settledRun(doomed.ticket_id, 'done')).toMatchObject({ state: 'done', locked_by: null });
    expect(await steps(crashed.ticket_id)).toEqual(['created', 'request_approval']);
    // …and taken over by the queue's regular look once it lapses (on the embedded database, at once at start-up).
    await waitForStatus(testApp.url, alice.token, held.ticket_id, ['waiting_for_approval']);
    expect(await settledRun(held.ticket_id, 'waiting')).toMatchObject({ state: 'waiting', locked_by: null });
  });

  it('accepts no approval for a pause a crash left unrecorded, and takes it once the restarted run pauses again', async () => {
    await useEnv({ MAX_CONCURRENT_WORKFLOWS: '0', HIL_WAIT_SECONDS: '0' });
    const ticketId = (await fileRequest(testApp.url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id;
    // What a process that died right after request_approval committed, before its checkpoint, leaves behind.
    await testApp.sql(`UPDATE workflow_runs SET state = 'running', locked_by = gen_random_uuid(), lease_until = now() - interval '1 minute', attempts = 1 WHERE ticket_id = $1`, [ticketId]);
    await testApp.sql(`UPDATE tickets SET status = 'waiting_for_approval', next_action = 'awaiting_approval', decision = 'pending_approval' WHERE id = $1`, [ticketId]);
    expect(await checkpointRows(ticketId)).toEqual({ checkpoints: 0, checkpoint_blobs: 0, checkpoint_writes: 0 });
    // The ticket's status says "waiting", but the run records no pause: nothing is accepted that could be lost.
    const early = await respond(testApp.url, admin.token, ticketId, { approval: true, comments: 'too early' }).expect(409);
    expect(early.body.message).toContain('still running');

    await useEnv({ MAX_CONCURRENT_WORKFLOWS: '5', HIL_WAIT_SECONDS: '10' });

    expect(await settledRun(ticketId, 'waiting')).toMatchObject({ state: 'waiting', pending: expect.objectContaining({ kind: 'approval', source: 'workflow' }) });
    await respond(testApp.url, admin.token, ticketId, { approval: true, comments: 'approved after the restart' }).expect(200);
    const ticket = await waitForStatus(testApp.url, alice.token, ticketId, ['resolved', 'denied', 'error']);
    expect(ticket).toMatchObject({ status: 'resolved', decision: 'approved' });
    expect(ticket.resolution).toContain('approved after the restart');
    const state = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
    expect(state.human_responses).toEqual([expect.objectContaining({ kind: 'approval', approval: true, responder_id: admin.id })]);
    expect((await events(ticketId)).events.filter((event) => event.type === 'hil_response')).toHaveLength(1);
    expect(await settledRun(ticketId, 'done')).toMatchObject({ state: 'done', resume: null, pending: null });
  });

  it('runs at most MAX_CONCURRENT_WORKFLOWS at once and loses none of 30 simultaneous requests, each slot taken again as a run ends', async () => {
    // No safety poll to lean on: a run's end must look at the queue itself while runs wait for a slot.
    await useEnv({ MAX_CONCURRENT_WORKFLOWS: '5', WORKFLOW_POLL_MS: '60000' });
    const [{ now: startedAt }] = await testApp.sql<{ now: Date }>(`SELECT now()`);
    let sampling = true;
    const seen: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        const running = await testApp.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM workflow_runs r JOIN tickets t ON t.id = r.ticket_id WHERE r.state = 'running' AND t.created_at >= $1`,
          [startedAt],
        );
        seen.push(running[0].n);
        await sleep(20);
      }
    })();
    try {
      const bodies = Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? ACCESS_REQUEST : UNKNOWN_REQUEST));
      const responses = await Promise.all(bodies.map((body) => fileRequest(testApp.url, alice.token, body)));
      expect(responses.map((response) => response.status)).toEqual(bodies.map(() => 201));
      expect(responses.filter((response) => response.body.next_action === 'queued').length).toBeGreaterThan(0);
      const ids = responses.map((response) => response.body.ticket_id as string);
      expect(new Set(ids).size).toBe(30);

      // A deadline only a stalled queue reaches (it would wait for the 60 s poll between rounds of five).
      const finals = await Promise.all(ids.map((id) => waitForStatus(testApp.url, alice.token, id, ['waiting_for_approval', 'escalated', 'error', 'resolved'], 50_000)));
      expect(finals.map((ticket) => ticket.status)).toEqual(bodies.map((body) => (body === ACCESS_REQUEST ? 'waiting_for_approval' : 'escalated')));

      // A run's record is closed just after its ticket's last change.
      const runStates = () =>
        testApp.sql<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM workflow_runs WHERE ticket_id = ANY($1::uuid[]) GROUP BY state ORDER BY state`, [ids]);
      let runs = await runStates();
      for (const deadline = Date.now() + 60_000; runs.some((row) => row.state === 'running' || row.state === 'queued') && Date.now() < deadline; await sleep(50)) {
        runs = await runStates();
      }
      expect(runs).toEqual([
        { state: 'done', n: 15 },
        { state: 'waiting', n: 15 },
      ]);
      // Each run started once: no ticket was claimed twice.
      const starts = await testApp.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = ANY($1::uuid[]) AND type = 'workflow_update' AND payload->>'step' = 'start'`,
        [ids],
      );
      expect(starts[0].n).toBe(30);
    } finally {
      sampling = false;
      await sampler;
    }
    expect(seen.length).toBeGreaterThan(5);
    expect(Math.max(...seen)).toBeLessThanOrEqual(5);
    // The cap is used, not just respected: several runs were in flight together.
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(2);
  });

  it('ends a paused run when support closes the ticket by hand, and refuses a late approval with 409', async () => {
    const filed = await fileRequest(testApp.url, alice.token, ACCESS_REQUEST, true).expect(201);
    expect(filed.body.status).toBe('waiting_for_approval');
    const ticketId = filed.body.ticket_id;

    await request(testApp.url).patch(`/api/v1/tickets/${ticketId}`).auth(admin.token, { type: 'bearer' }).send({ status: 'denied', comment: 'No longer needed' }).expect(200);

    let state: Record<string, any> = {};
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(50)) {
      state = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
      if (state.run_state === 'done') break;
    }
    expect(state).toMatchObject({ status: 'denied', run_state: 'done', step: 'closed', pending: null, human_responses: [] });

    const late = await respond(testApp.url, admin.token, ticketId, { approval: true }).expect(409);
    expect(late.body.detail).toBe('This ticket is denied: it is not waiting for a person');
    await respond(testApp.url, alice.token, ticketId, { answer: 'Still need it' }).expect(409);
    await sleep(300);
    const after = (await request(testApp.url).get(`/api/v1/tickets/${ticketId}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
    expect(after).toMatchObject({ status: 'denied', decision: 'pending_approval' });
    expect(await runOf(ticketId)).toMatchObject({ state: 'done', resume: null, locked_by: null });
  });

  it('also ends the run when support closes the ticket while its segment is still finishing', async () => {
    const repository = testApp.app.get(WorkflowRepository);
    const finish = repository.finish.bind(repository);
    // Hold the end of the segment open until the close is on its way, so that it arrives while the run is
    // still `running`. Waiting for the ticket's status instead raced the segment's own transaction, which
    // holds the embedded database's one connection while it finishes (it failed on a busy CI machine).
    let entered!: () => void;
    const finishing = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(repository, 'finish').mockImplementation(async (...args) => {
      entered();
      await released;
      return finish(...args);
    });
    const ticketId = (await fileRequest(testApp.url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id;
    await finishing;
    const closing = request(testApp.url).patch(`/api/v1/tickets/${ticketId}`).auth(admin.token, { type: 'bearer' }).send({ status: 'denied' }).then((reply) => reply);
    // The close waits for the segment's lock (or connection); let the segment go once it has been sent.
    await sleep(200);
    release();
    expect((await closing).status).toBe(200);

    expect(await settledRun(ticketId, 'done')).toMatchObject({ state: 'done', resume: null });
    const state = (await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body;
    expect(state).toMatchObject({ status: 'denied', step: 'closed', pending: null });
  });

  it('hands a run in flight back to the queue at shutdown; the next instance runs it to its pause, each step once', async () => {
    let entered!: () => void;
    const inTriage = new Promise<void>((resolve) => (entered = resolve));
    // A model call that never answers: the run is mid-flight when the server stops.
    jest.spyOn(testApp.app.get(LlmService), 'triage').mockImplementation(() => {
      entered();
      return new Promise(() => undefined);
    });
    const ticketId = (await fileRequest(testApp.url, alice.token, ACCESS_REQUEST).expect(201)).body.ticket_id;
    await inTriage;
    expect(await runOf(ticketId)).toMatchObject({ state: 'running', attempts: 1 });

    // The old instance gives the run a moment, then stops it and hands it back; the new one claims it at start-up.
    testApp = await testApp.restart();

    expect(await waitForStatus(testApp.url, alice.token, ticketId, ['waiting_for_approval', 'error'])).toMatchObject({ status: 'waiting_for_approval' });
    // Handed back, not failed: no error, no step twice, never a second graph input, and the run waits for its approver.
    expect((await events(ticketId)).events.filter((event) => event.type === 'error')).toEqual([]);
    expect(await steps(ticketId)).toEqual(['created', 'start', 'request_approval']);
    // The new instance went on from the checkpoint the stopped one left after `start`, rather than feeding
    // the graph its input again: one chain of two checkpoints, the second a child of the first, and between
    // them exactly the five steps from triage to request_approval (input + start again would add two).
    const checkpoints = await testApp.sql<{ checkpoint_id: string; parent_checkpoint_id: string | null; metadata: { source: string; step: number } }>(
      `SELECT checkpoint_id, parent_checkpoint_id, metadata FROM langgraph.checkpoints WHERE thread_id = $1 AND checkpoint_ns = '' ORDER BY checkpoint_id`,
      [ticketId],
    );
    expect(checkpoints.map((row) => row.metadata.source)).toEqual(['loop', 'loop']);
    expect(checkpoints[0].parent_checkpoint_id).toBeNull();
    expect(checkpoints[1].parent_checkpoint_id).toBe(checkpoints[0].checkpoint_id);
    expect(checkpoints[1].metadata.step - checkpoints[0].metadata.step).toBe(5);
    expect(await settledRun(ticketId, 'waiting')).toMatchObject({ state: 'waiting', locked_by: null, attempts: 0 });
    expect((await getWorkflow(testApp.url, alice.token, ticketId).expect(200)).body).toMatchObject({ step: 'approval', pending: { kind: 'approval' } });
  });

  it('prunes the checkpoints of tickets closed longer than the retention period, and keeps their summary', async () => {
    const closed = (await fileRequest(testApp.url, alice.token, UNKNOWN_REQUEST, true).expect(201)).body;
    expect(closed.status).toBe('escalated');
    const waiting = (await fileRequest(testApp.url, alice.token, ACCESS_REQUEST, true).expect(201)).body;
    expect(waiting.status).toBe('waiting_for_approval');
    const before = (await getWorkflow(testApp.url, alice.token, closed.ticket_id).expect(200)).body;
    expect(before).toMatchObject({ run_state: 'done', step: 'done', rule: { id: 'low_confidence', outcome: 'escalate' } });
    const rows = await checkpointRows(closed.ticket_id);
    expect(rows.checkpoints).toBeGreaterThan(0);
    expect(rows.checkpoint_blobs).toBeGreaterThan(0);

    // Within the retention period (7 days) nothing goes.
    expect(await testApp.app.get(CheckpointPruner).pruneCheckpoints()).toBe(0);
    expect(await checkpointRows(closed.ticket_id)).toEqual(rows);

    await useEnv({ WORKFLOW_CHECKPOINT_RETENTION_DAYS: '0' });
    await sleep(50);
    expect(await testApp.app.get(CheckpointPruner).pruneCheckpoints()).toBeGreaterThanOrEqual(1);

    expect(await checkpointRows(closed.ticket_id)).toEqual({ checkpoints: 0, checkpoint_blobs: 0, checkpoint_writes: 0 });
    expect((await runOf(closed.ticket_id)).checkpoints_pruned_at).not.toBeNull();
    // A run still waiting for a person keeps everything it needs to resume.
    expect((await checkpointRows(waiting.ticket_id)).checkpoints).toBeGreaterThan(0);
    expect((await runOf(waiting.ticket_id)).checkpoints_pruned_at).toBeNull();

    const after = (await getWorkflow(testApp.url, alice.token, closed.ticket_id).expect(200)).body;
    expect(after).toEqual(before);
    expect(after.triage).not.toBeNull();
    expect(after.plan).not.toBeNull();
    // Pruned once: a second pass finds nothing more of it.
    await testApp.app.get(CheckpointPruner).pruneCheckpoints();
    expect((await runOf(closed.ticket_id)).checkpoints_pruned_at).not.toBeNull();
  });

  // Last: it leaves the app with a one-second timeout.
  it('stops a run that overruns WORKFLOW_TIMEOUT: error with the reason, and nothing written afterwards', async () => {
    await useEnv({ WORKFLOW_TIMEOUT: '1' });
    const llm = testApp.app.get(LlmService);
    const composePlan = llm.composePlan.bind(llm);
    const plans: Array<Promise<unknown>> = [];
    const slow = jest.spyOn(llm, 'composePlan').mockImplementation((...args) => {
      const result = sleep(3000).then(() => composePlan(...args));
      plans.push(result.catch(() => undefined));
      return result;
    });

    const filed = (await fileRequest(testApp.url, alice.token, UNKNOWN_REQUEST).expect(201)).body;
    const callsFor = () => slow.mock.calls.filter(([ticket]) => (ticket as { ticket_id?: string }).ticket_id === filed.ticket_id).length;
    const failed = await waitForStatus(testApp.url, alice.token, filed.ticket_id, ['error', 'escalated']);
    expect(failed).toMatchObject({ status: 'error', decision: 'error', next_action: 'support_review' });
    expect(callsFor()).toBe(1);
    const trail = await events(filed.ticket_id);
    // Its detail for staff, and the plain message everybody sees.
    const errors = trail.events.filter((event) => event.type === 'error');
    expect(errors.map((event) => event.payload.internal ?? false)).toEqual([true, false]);
    expect(errors[0].payload.message).toContain('WORKFLOW_TIMEOUT (1 s)');

    // The stopped run's model call comes back later: nothing may follow the error.
    await Promise.all(plans);
    await sleep(1000);
    const later = (await request(testApp.url).get(`/api/v1/tickets/${filed.ticket_id}`).auth(alice.token, { type: 'bearer' }).expect(200)).body;
    expect(later).toMatchObject({ status: 'error', decision: 'error' });
    expect((await events(filed.ticket_id)).count).toBe(trail.count);
    expect(await runOf(filed.ticket_id)).toMatchObject({ state: 'done', locked_by: null });
    expect(callsFor()).toBe(1);
  });
});
