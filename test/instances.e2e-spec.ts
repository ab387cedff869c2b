// Several instances on one PostgreSQL server learn about each other's commits as they happen (LISTEN/NOTIFY),
// not at their next poll: the polls here are set to a minute, so anything that arrives within the waits below
// (half a poll, which only a missed announcement reaches) was announced. How fast is `npm run bench`'s to say
// (its cross-instance stream row): a shared CI machine's milliseconds are no test.
// On the embedded database only one process can open the data, so there is nothing to test across instances.
import request from 'supertest';
import { signInAdmin, signUp, signUpAs } from './support/http';
import { openStream } from './support/sse';
import { createTicket } from './support/tickets';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, waitForStatus } from './support/workflow';

const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const SLOW_POLLS = { EVENTS_POLL_SECONDS: '60', WORKFLOW_POLL_MS: '60000', WORKFLOW_LEASE_SECONDS: '600' };

onServer('Several instances on one PostgreSQL (e2e)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // A takes requests only (it runs no workflow); B runs them.
    a = await bootTestApp({ ...SLOW_POLLS, MAX_CONCURRENT_WORKFLOWS: '0' });
    b = await a.another({ ...SLOW_POLLS, MAX_CONCURRENT_WORKFLOWS: '4' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('streams on B every comment committed through A, in order, before any poll', async () => {
    const { token: adminToken } = await signInAdmin(a.url);
    const support = await signUpAs(a.url, adminToken, 'support');
    const ticket = await createTicket(a.url, support.token);
    const stream = await openStream(`${b.url}/api/v1/events/${ticket.ticket_id}`, { token: support.token });
    const delays: number[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const sent = Date.now();
        await request(a.url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: `note ${i}` }).expect(201);
        await stream.waitFor((message) => message.data.type === 'comment' && message.data.body === `note ${i}`, 30_000);
        delays.push(Date.now() - sent);
      }
    } finally {
      stream.close();
    }
    const comments = stream.messages.filter((message) => message.data.type === 'comment');
    expect(comments.map((message) => message.data.body)).toEqual(Array.from({ length: 20 }, (_, i) => `note ${i}`));
    console.log(`instances: comment A → stream on B, slowest of 20: ${Math.max(...delays)} ms`);
  });

  it('runs on B a request filed through A at once, without waiting for B to poll', async () => {
    const employee = await signUp(a.url);
    const filed = await fileRequest(a.url, employee.token, ACCESS_REQUEST).expect(201);
    const started = Date.now();
    await waitForStatus(a.url, employee.token, filed.body.ticket_id, ['waiting_for_approval'], 30_000);
    // The status is committed by the step that pauses; the run row says `waiting` once B ends the segment.
    let state = '';
    while (state !== 'waiting' && Date.now() - started < 30_000) {
      [{ state }] = await a.sql<{ state: string }>(`SELECT state FROM workflow_runs WHERE ticket_id = $1`, [filed.body.ticket_id]);
      if (state !== 'waiting') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state).toBe('waiting');
  });

  it('answers POST /request?wait=true on A as soon as B has paused the run, not at A’s next look', async () => {
    const employee = await signUp(a.url);
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) {
      const filed = await fileRequest(a.url, employee.token, ACCESS_REQUEST, true).expect(201);
      const answeredAt = Date.now();
      expect(filed.body.status).toBe('waiting_for_approval');
      const [run] = await a.sql<{ settled_at: Date }>(`SELECT updated_at AS settled_at FROM workflow_runs WHERE ticket_id = $1`, [filed.body.ticket_id]);
      gaps.push(answeredAt - new Date(run.settled_at).getTime());
    }
    // A waiter also looks at the database once a second, which alone gives gaps spread over 0–1,000 ms
    // (median ~500); woken by B's notification, the median gap is tens of milliseconds on an idle machine.
    console.log(`instances: POST /request?wait=true on A after B paused the run, median gap of 7: ${[...gaps].sort((x, y) => x - y)[3]} ms`);
  });

  it('reports the listener and the queue in /health, and readiness apart from liveness', async () => {
    const health = await request(b.url).get('/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'healthy',
      checks: { database: { status: 'up' }, listener: { status: 'up' }, queue: { status: 'up', waiting: expect.any(Number), running_here: expect.any(Number) } },
    });
    await request(b.url).get('/health/live').expect(200);
    const ready = await request(b.url).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready' });
  });
});
