// Crashes: an instance is killed with SIGKILL (no shutdown hook, no lease handed back) while it takes
// requests, while it runs a workflow segment, and while a segment applies a person's answer.
import { signUp } from '../support/http';
import { ollamaChatAnswer, startStandInModel, StandInModel } from '../support/stand-in-model';
import { ACCESS_REQUEST, fileRequest, getWorkflow, KB_QUESTION, respond, UNKNOWN_REQUEST, VAGUE_REQUEST, waitForStatus } from '../support/workflow';
import { checkTrails, ACTIONABLE, report } from './support/checks';
import { Cluster, createCluster, eventually } from './support/cluster';
import { standInAnswer } from './support/stand-in-answers';

const expectClean = (trails: Awaited<ReturnType<typeof checkTrails>>) => {
  expect(trails.notCreatedFirst).toEqual([]);
  expect(trails.duplicatedEvents).toEqual([]);
  expect(trails.duplicatedComments).toEqual([]);
};

describe('Chaos: instances killed with SIGKILL', () => {
  let cluster: Cluster | undefined;
  let model: StandInModel | undefined;
  afterEach(async () => {
    await cluster?.close();
    await model?.close();
    cluster = model = undefined;
  });

  it('1. kill -9 with 100 POST /request in flight: every accepted ticket reaches a state someone can act on, in order, nothing doubled', async () => {
    cluster = await createCluster();
    const first = await cluster.start();
    const employees = await Promise.all(Array.from({ length: 5 }, () => signUp(first.url)));
    const bodies = [ACCESS_REQUEST, KB_QUESTION, VAGUE_REQUEST, UNKNOWN_REQUEST];
    const accepted: string[] = [];
    let answered = 0;
    let failed = 0;
    let killed: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        try {
          const response = await fetch(`${first.url}/api/v1/request`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${employees[i % 5].token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(bodies[i % bodies.length]),
          });
          const body = (await response.json()) as { ticket_id?: string };
          if (response.status === 201 && body.ticket_id) accepted.push(body.ticket_id);
          if (++answered === 30) killed = first.stop('SIGKILL');
        } catch {
          failed++; // the connection died with the process: this request was not accepted
        }
      }),
    );
    await killed;
    expect(accepted.length).toBeGreaterThanOrEqual(30);
    expect(failed).toBeGreaterThan(0); // the kill did land while requests were in flight

    await cluster.start();
    // Every ticket the database holds, accepted or not: one committed just before the kill counts too.
    await eventually('no ticket left pending or in progress', async () => {
      const [{ stuck }] = await cluster!.sql<{ stuck: number }>(`SELECT count(*)::int AS stuck FROM tickets WHERE status IN ('pending', 'in_progress')`);
      return stuck === 0;
    }, 90000, 250);
    const tickets = await cluster.sql<{ id: string; status: string }>(`SELECT id, status FROM tickets`);
    expect(accepted.every((id) => tickets.some((ticket) => ticket.id === id))).toBe(true);
    expect(tickets.filter((ticket) => !ACTIONABLE.includes(ticket.status))).toEqual([]);
    const trails = await checkTrails(cluster, tickets.map((ticket) => ticket.id));
    expectClean(trails);
    report('kill -9 with 100 requests in flight', {
      accepted: accepted.length,
      'refused by the kill': failed,
      'tickets checked': trails.tickets,
      'events checked': trails.events,
      lost: accepted.filter((id) => !tickets.some((ticket) => ticket.id === id)).length,
      duplicated: trails.duplicatedEvents.length + trails.duplicatedComments.length,
    });
  });

  it('4. an instance killed while it runs a segment: another takes the run over after the lease and finishes it once', async () => {
    model = await startStandInModel();
    let modelDelayMs = 120000; // the first instance's call hangs until it is killed
    model.answerWith(ollamaChatAnswer(standInAnswer, () => modelDelayMs));
    cluster = await createCluster({ LLM_PROVIDER: 'ollama', EMBEDDINGS_PROVIDER: 'offline', OLLAMA_BASE_URL: model.url, LLM_TIMEOUT_SECONDS: '300' });
    const first = await cluster.start();
    const employee = await signUp(first.url);
    const ticketId = (await fileRequest(first.url, employee.token, ACCESS_REQUEST).expect(201)).body.ticket_id as string;
    await eventually('the first instance calls the model', async () => model!.requests.length === 1, 20000);
    const second = await cluster.start();
    const [{ fence: fenceBefore }] = await cluster.sql<{ fence: string }>(`SELECT fence FROM workflow_runs WHERE ticket_id = $1`, [ticketId]);

    modelDelayMs = 0;
    const killedAt = Date.now();
    await first.stop('SIGKILL');
    const settled = await waitForStatus(second.url, employee.token, ticketId, ['waiting_for_approval'], 30000);
    const takeoverMs = Date.now() - killedAt;

    expect(settled.status).toBe('waiting_for_approval');
    // Taken over once the lease (3 s) lapsed, not before: the killed instance never handed it back.
    expect(takeoverMs).toBeGreaterThanOrEqual(1500);
    expect(takeoverMs).toBeLessThan(15000);
    // The status is committed by the step that pauses; the run row says `waiting` once the segment ends.
    const runOf = async () => (await cluster!.sql<{ state: string; fence: string }>(`SELECT state, fence FROM workflow_runs WHERE ticket_id = $1`, [ticketId]))[0];
    await eventually('the second instance ends the segment', async () => (await runOf()).state !== 'running', 10000);
    const run = await runOf();
    expect(run.state).toBe('waiting');
    expect(Number(run.fence)).toBe(Number(fenceBefore) + 1); // claimed once more, by the second instance
    // The killed call, then the second instance's triage and plan: each step ran once after the takeover.
    expect(model.requests).toEqual(['/api/chat', '/api/chat', '/api/chat']);
    const waits = await cluster.sql(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND payload->'changes'->'status'->>'to' = 'waiting_for_approval'`, [ticketId]);
    expect(waits).toHaveLength(1);
    const trails = await checkTrails(cluster, [ticketId]);
    expectClean(trails);
    report('kill -9 during a segment', { 'takeover ms': takeoverMs, 'tickets checked': 1, 'events checked': trails.events, lost: 0, duplicated: trails.duplicatedEvents.length });
  });

  it('5. an instance killed while a segment applies a person’s answer: after the restart it is applied exactly once', async () => {
    model = await startStandInModel();
    let modelDelayMs = 0;
    model.answerWith(ollamaChatAnswer(standInAnswer, () => modelDelayMs));
    cluster = await createCluster({ LLM_PROVIDER: 'ollama', EMBEDDINGS_PROVIDER: 'offline', OLLAMA_BASE_URL: model.url, LLM_TIMEOUT_SECONDS: '300' });
    const first = await cluster.start();
    const employee = await signUp(first.url);
    const filed = await fileRequest(first.url, employee.token, VAGUE_REQUEST, true).expect(201);
    expect(filed.body.status).toBe('waiting_for_user');
    const ticketId = filed.body.ticket_id as string;

    modelDelayMs = 120000; // the plan drafted from the answer hangs until the kill
    const callsBefore = model.requests.length;
    await respond(first.url, employee.token, ticketId, { answer: 'The key for build-01.corp.example.com' }).expect(200);
    await eventually('the segment applying the answer calls the model', async () => model!.requests.length === callsBefore + 1, 20000);
    await first.stop('SIGKILL');

    modelDelayMs = 0;
    const restarted = await cluster.start();
    const settled = await waitForStatus(restarted.url, employee.token, ticketId, ['escalated', 'resolved'], 30000);
    expect(settled.status).toBe('escalated');
    const workflow = (await getWorkflow(restarted.url, employee.token, ticketId).expect(200)).body;
    expect(workflow.human_responses).toEqual([expect.objectContaining({ kind: 'answer', answer: 'The key for build-01.corp.example.com' })]);
    const answers = await cluster.sql(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND type = 'hil_response'`, [ticketId]);
    expect(answers).toHaveLength(1);
    const escalations = await cluster.sql(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND payload->'changes'->'status'->>'to' = 'escalated'`, [ticketId]);
    expect(escalations).toHaveLength(1);
    const trails = await checkTrails(cluster, [ticketId]);
    expectClean(trails);
    report('kill -9 while an answer is applied', { 'tickets checked': 1, 'events checked': trails.events, 'hil_response events': answers.length, lost: 0, duplicated: trails.duplicatedEvents.length });
  });
});

