// One user cannot flood the help desk: filed requests, human responses and uploads are limited per user and
// window (429 with Retry-After), counted in the database so that every instance counts the same hits.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signInAdmin, signUp, signUpAs } from '../support/http';
import { bootTestApp, TestApp } from '../support/test-app';
import { NEW_TICKET } from '../support/tickets';
import { fileRequest, KB_QUESTION } from '../support/workflow';

const LIMITS = { requests: 3, hil: 2, uploads: 2, windowSeconds: 3600 };

/** Windows are fixed (aligned to the clock): a test that counts hits must not straddle two of them. */
async function awayFromWindowEdge(): Promise<void> {
  const windowMs = LIMITS.windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('Per-user limits (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({
      LIMIT_REQUESTS_PER_WINDOW: String(LIMITS.requests),
      LIMIT_HIL_PER_WINDOW: String(LIMITS.hil),
      LIMIT_UPLOADS_PER_WINDOW: String(LIMITS.uploads),
      LIMIT_WINDOW_SECONDS: String(LIMITS.windowSeconds),
    });
    url = testApp.url;
  });
  afterAll(() => testApp.close());
  beforeEach(awayFromWindowEdge, 60_000);

  const ticketCount = async (userId: string) => Number((await testApp.sql<{ count: string }>(`SELECT count(*) FROM tickets WHERE requester_id = $1`, [userId]))[0].count);

  function expectTooMany(response: request.Response, what: RegExp): void {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LIMITS.windowSeconds);
    expect(response.body.detail).toMatch(what);
  }

  it('limits new requests per user, POST /request and POST /tickets together; nothing is written beyond the limit', async () => {
    const alice = await signUp(url);
    await fileRequest(url, alice.token, KB_QUESTION).expect(201);
    await fileRequest(url, alice.token, KB_QUESTION).expect(201);
    await request(url).post('/api/v1/tickets').auth(alice.token, { type: 'bearer' }).send(NEW_TICKET).expect(201);
    expectTooMany(await fileRequest(url, alice.token, KB_QUESTION), /Too many new requests: at most 3 per 3600 s/);
    expectTooMany(await request(url).post('/api/v1/tickets').auth(alice.token, { type: 'bearer' }).send(NEW_TICKET), /Too many new requests/);
    expect(await ticketCount(alice.id)).toBe(3);

    // Another user has an allowance of their own.
    const bob = await signUp(url);
    await fileRequest(url, bob.token, KB_QUESTION).expect(201);
  });

  it('counts in the database: a new window (as another instance sees the same rows) allows requests again', async () => {
    const carol = await signUp(url);
    for (let i = 0; i < LIMITS.requests; i += 1) await fileRequest(url, carol.token, KB_QUESTION).expect(201);
    expect(await testApp.sql(`SELECT action, hits FROM user_action_counts WHERE user_id = $1`, [carol.id])).toEqual([{ action: 'requests', hits: LIMITS.requests }]);
    expectTooMany(await fileRequest(url, carol.token, KB_QUESTION), /Too many new requests/);
    await testApp.sql(`UPDATE user_action_counts SET window_start = window_start - interval '1 hour' WHERE user_id = $1`, [carol.id]);
    await fileRequest(url, carol.token, KB_QUESTION).expect(201);
  });

  it('limits answers and approvals per user, counting every attempt', async () => {
    const dave = await signUp(url);
    const nowhere = randomUUID();
    for (let i = 0; i < LIMITS.hil; i += 1) {
      await request(url).post(`/api/v1/hil/${nowhere}`).auth(dave.token, { type: 'bearer' }).send({ answer: 'It is the left one' }).expect(404);
    }
    expectTooMany(await request(url).post(`/api/v1/hil/${nowhere}`).auth(dave.token, { type: 'bearer' }).send({ answer: 'It is the left one' }), /Too many answers and approvals/);
  });

  it('limits knowledge-base uploads per user; the refused upload is not stored', async () => {
    const admin = await signInAdmin(url);
    const support = await signUpAs(url, admin.token, 'support');
    const upload = (name: string) =>
      request(url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', Buffer.from(`# ${name}\n\nRestart the printer spooler to fix stuck print jobs.`), `${name}.md`);
    await upload('first').expect(201);
    await upload('second').expect(201);
    expectTooMany(await upload('third'), /Too many document uploads/);
    const documents = await testApp.sql<{ title: string }>(`SELECT title FROM documents`);
    expect(documents.map((document) => document.title).sort()).toEqual(expect.not.arrayContaining(['third']));
    expect(documents).toHaveLength(2);
  });
});
