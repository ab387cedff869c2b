// Two instances on one database: live events cross from one to the other in milliseconds, a client whose
// instance dies resumes on the other with Last-Event-ID, and two people deciding at once through two
// instances get one decision applied.
import request from 'supertest';
import { signInAdmin, signUpAs, signUp } from '../support/http';
import { openStream, TestStream } from '../support/sse';
import { createTicket } from '../support/tickets';
import { ACCESS_REQUEST, fileRequest, getWorkflow, respond, waitForStatus } from '../support/workflow';
import { checkTrails, report } from './support/checks';
import { percentile } from '../../bench/lib/load';
import { Cluster, createCluster, eventually } from './support/cluster';

const CLIENTS = 20;
const UPDATES = 200;

describe('Chaos: two instances on one PostgreSQL', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('2. SSE clients on B get all 200 updates made through A, in order; when B dies they resume on A with exactly what they missed', async () => {
    cluster = await createCluster({ WORKFLOW_ENABLED: 'false' });
    const [a, b] = [await cluster.start(), await cluster.start()];
    const admin = await signInAdmin(a.url);
    const support = await signUpAs(a.url, admin.token, 'support');
    const ticket = await createTicket(a.url, support.token);
    const streamUrl = (url: string) => `${url}/api/v1/events/${ticket.ticket_id}`;
    let clients: TestStream[] = await Promise.all(Array.from({ length: CLIENTS }, () => openStream(streamUrl(b.url), { token: support.token })));
    const sentAt = new Map<string, number>();
    const post = async (i: number) => {
      sentAt.set(`update ${i}`, Date.now());
      await request(a.url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: `update ${i}` }).expect(201);
    };
    const comments = (stream: TestStream) => stream.messages.filter((message) => message.data.type === 'comment');

    for (let i = 0; i < UPDATES / 2; i++) await post(i);
    await eventually('every client on B has the first half', async () => clients.every((client) => comments(client).length === UPDATES / 2), 10000, 20);
    const delays = clients.flatMap((client) => comments(client).map((message) => message.receivedAt! - sentAt.get(String(message.data.body))!));

    // B dies; its clients come back on A from the last id each one saw, while updates go on.
    await b.stop('SIGKILL');
    const before = clients.map((client) => ({ seen: [...client.messages], lastId: client.messages.at(-1)!.id }));
    clients.forEach((client) => client.close());
    const posting = (async () => {
      for (let i = UPDATES / 2; i < UPDATES; i++) await post(i);
    })();
    clients = await Promise.all(before.map(({ lastId }) => openStream(streamUrl(a.url), { token: support.token, lastEventId: lastId })));
    await posting;
    await eventually('every client has all updates', async () => clients.every((client, index) => comments(client).length + comments({ messages: before[index].seen } as TestStream).length >= UPDATES), 15000, 20);

    const expected = Array.from({ length: UPDATES }, (_, i) => `update ${i}`);
    let duplicated = 0;
    clients.forEach((client, index) => {
      const all = [...comments({ messages: before[index].seen } as TestStream), ...comments(client)];
      duplicated += all.length - new Set(all.map((message) => message.id)).size;
      expect(all.map((message) => message.data.body)).toEqual(expected);
      const ids = all.map((message) => Number(message.id));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });
    clients.forEach((client) => client.close());
    expect(duplicated).toBe(0);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    // Polls are 30 s here, so this bound proves every delivery came by notification. The figure itself
    // (p99 < 100 ms) is checked by `npm run bench`'s cross-instance row, not by a timed test on a shared CI machine.
    expect(p99).toBeLessThan(1000);
    report('SSE across instances, then B killed', {
      clients: CLIENTS,
      updates: UPDATES,
      'events checked': CLIENTS * UPDATES,
      'p50 ms': p50,
      'p99 ms': p99,
      lost: 0,
      duplicated,
    });
  });

  it('3. two approvals of one ticket at once through two instances: one 200, one 409, applied once', async () => {
    cluster = await createCluster();
    const [a, b] = [await cluster.start(), await cluster.start()];
    const admin = await signInAdmin(a.url);
    const support = await signUpAs(a.url, admin.token, 'support');
    const employee = await signUp(a.url);
    const ticketIds: string[] = [];
    for (let round = 0; round < 5; round++) {
      const filed = await fileRequest(a.url, employee.token, ACCESS_REQUEST, true).expect(201);
      expect(filed.body.status).toBe('waiting_for_approval');
      const ticketId = filed.body.ticket_id as string;
      ticketIds.push(ticketId);
      const [first, second] = await Promise.all([
        respond(a.url, admin.token, ticketId, { approval: true, comments: 'approved through A' }),
        respond(b.url, support.token, ticketId, { approval: true, comments: 'approved through B' }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      expect(loser.body.detail).toEqual(expect.any(String));
      await waitForStatus(a.url, employee.token, ticketId, ['resolved'], 20000);
      const workflow = (await getWorkflow(b.url, employee.token, ticketId).expect(200)).body;
      expect(workflow.human_responses).toHaveLength(1);
      const answers = await cluster.sql(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND type = 'hil_response'`, [ticketId]);
      expect(answers).toHaveLength(1);
      const resolutions = await cluster.sql(`SELECT id FROM ticket_events WHERE ticket_id = $1 AND payload->'changes'->'status'->>'to' = 'resolved'`, [ticketId]);
      expect(resolutions).toHaveLength(1);
    }
    const trails = await checkTrails(cluster, ticketIds);
    expect(trails.notCreatedFirst).toEqual([]);
    expect(trails.duplicatedEvents).toEqual([]);
    report('two approvals at once', { races: ticketIds.length, 'winners per race': 1, 'tickets checked': trails.tickets, 'events checked': trails.events, duplicated: trails.duplicatedEvents.length });
  });
});
