// The database server restarts under two instances serving traffic: requests fail cleanly (503 with a
// body) for those seconds, /health says so, and everything works again without restarting the app — the
// pool opens new connections, the listener LISTENs again, and no committed event is lost to a stream.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import request from 'supertest';
import { signInAdmin, signUpAs } from '../support/http';
import { openStream } from '../support/sse';
import { createTicket } from '../support/tickets';
import { report } from './support/checks';
import { Cluster, createCluster, eventually } from './support/cluster';

/** Stops the server (fast: sessions are terminated), keeps it down for `downMs`, and starts it again. */
async function restartDatabaseServer(downMs: number): Promise<void> {
  const version = readdirSync('/etc/postgresql').sort((x, y) => Number(x) - Number(y)).at(-1)!;
  const pgCtl = (action: string) => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'ignore', timeout: 60000 });
  pgCtl('stop');
  await new Promise((resolve) => setTimeout(resolve, downMs));
  pgCtl('start');
}

describe('Chaos: the database restarts under two instances', () => {
  let cluster: Cluster | undefined;
  afterAll(() => cluster?.close());

  it('6. answers 503 with a body while the database is away, and recovers without a restart; no event is lost to a stream', async () => {
    cluster = await createCluster({ WORKFLOW_ENABLED: 'false' });
    const [a, b] = [await cluster.start(), await cluster.start()];
    const admin = await signInAdmin(a.url);
    const support = await signUpAs(a.url, admin.token, 'support');
    const ticket = await createTicket(a.url, support.token);
    const stream = await openStream(`${b.url}/api/v1/events/${ticket.ticket_id}`, { token: support.token });

    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const accepted: string[] = [];
    const unhealthy = new Set<string>();
    let traffic = true;
    let n = 0;
    const load = (async () => {
      while (traffic) {
        const instance = n % 2 === 0 ? a : b;
        const body = `during ${n++}`;
        try {
          const response = await request(instance.url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body }).timeout(10000);
          count(String(response.status));
          if (response.status === 201) accepted.push(body);
          else expect(response.body).toMatchObject({ statusCode: 503, detail: expect.any(String) });
          const health = await request(instance.url).get('/health').timeout(10000);
          if (health.status === 503) unhealthy.add(health.body.checks?.database?.status);
        } catch (error) {
          count(`failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restartedAt = Date.now();
    await restartDatabaseServer(3000);
    // Both instances answer healthy again by themselves, listening again.
    for (const instance of [a, b]) {
      await eventually('the instance is healthy and listening again', async () => {
        const health = await request(instance.url).get('/health').timeout(5000);
        return health.status === 200 && health.body.checks.listener.status === 'up';
      }, 60000, 200).catch((error: Error) => {
        throw new Error(`${error.message}; the instance ${instance.exited ? 'died' : 'runs'}: ${instance.stderr.slice(-4000)}`);
      });
    }
    const recoveredMs = Date.now() - restartedAt;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    traffic = false;
    await load;

    expect(a.exited || b.exited).toBe(false);
    // Only clean answers: created, or 503 with a body. Never a 500, never a dropped connection.
    expect([...outcomes.keys()].sort()).toEqual(expect.arrayContaining(['201']));
    expect([...outcomes.keys()].filter((key) => key !== '201' && key !== '503')).toEqual([]);
    expect(outcomes.get('503') ?? 0).toBeGreaterThan(0);
    expect([...unhealthy]).toEqual(['down']);

    // After the restart a comment through A reaches the stream on B at once (polls are 30 s: a notification did it).
    const sent = Date.now();
    await request(a.url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'after the restart' }).expect(201);
    await stream.waitFor((message) => message.data.body === 'after the restart', 3000);
    const afterMs = Date.now() - sent;
    // Every comment that was accepted reached the stream, once, in order. (One whose COMMIT went through as
    // the connection died was answered 503 yet stored: it may be streamed too — once.)
    const streamed = stream.messages.filter((message) => message.data.type === 'comment').map((message) => String(message.data.body));
    stream.close();
    expect(streamed.filter((body) => accepted.includes(body) || body === 'after the restart')).toEqual([...accepted, 'after the restart']);
    expect(new Set(streamed).size).toBe(streamed.length);
    report('database restart under two instances', {
      requests: n,
      created: outcomes.get('201') ?? 0,
      '503 with a body': outcomes.get('503') ?? 0,
      'other answers': [...outcomes.keys()].filter((key) => key !== '201' && key !== '503').length,
      'recovered in ms': recoveredMs,
      'first event after ms': afterMs,
      'events checked': streamed.length,
      lost: accepted.filter((body) => !streamed.includes(body)).length,
      duplicated: streamed.length - new Set(streamed).size,
    });
  });
});
