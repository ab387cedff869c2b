// Open event streams follow the viewer's access as it is now, not as it was when the stream opened:
// logout, revocation, a role change and deactivation end them; so does the access token's expiry; and a
// reconnect replays only what the viewer may see at that moment.
import { sign } from 'jsonwebtoken';
import request from 'supertest';
import { signInAdmin, signUp, signUpAs, SignedIn } from '../support/http';
import { startServerProcess } from '../support/server-process';
import { openRawStream, RawStream } from '../support/sse';
import { bootTestApp, JWT_SECRET, TestApp, WITHOUT_WORKFLOW } from '../support/test-app';
import { createTicket } from '../support/tickets';
import { AuthService } from '../../src/auth/auth.service';
import { mapLimit } from './client';

const MAX_STREAMS = 3;

describe('Open streams follow access (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, SSE_MAX_STREAMS_PER_USER: String(MAX_STREAMS) });
    url = testApp.url;
    admin = await signInAdmin(url);
    alice = await signUp(url);
  });
  afterAll(() => testApp.close());

  const allEvents = () => `${url}/api/v1/events`;
  const ticketEvents = (ticketId: string) => `${url}/api/v1/events/${ticketId}`;
  const comment = (token: string, ticketId: string, body: string, internal = false) =>
    request(url).post(`/api/v1/tickets/${ticketId}/comments`).auth(token, { type: 'bearer' }).send({ body, internal }).expect(201);

  /** Resolves with how long the server took to end the stream, or rejects after `limitMs`. */
  async function endsWithin(stream: RawStream, limitMs: number): Promise<number> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the stream was still open after ${limitMs} ms`)), limitMs);
    });
    try {
      await Promise.race([stream.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return Date.now() - started;
  }

  async function openConnected(target: string, token: string, lastEventId?: string): Promise<RawStream> {
    const stream = await openRawStream(target, { token, lastEventId });
    expect(stream.status).toBe(200);
    await stream.waitFor((m) => m.data.type === 'connected');
    return stream;
  }

  const closedBecause = (stream: RawStream) => stream.messages.at(-1)?.data;

  it('logout ends the open streams of that session within a second; an internal note posted afterwards never reaches them', async () => {
    const staffer = await signUpAs(url, admin.token, 'support');
    const ticket = await createTicket(url, alice.token);
    const stream = await openConnected(allEvents(), staffer.token);
    await request(url).post('/api/v1/auth/logout').auth(staffer.token, { type: 'bearer' }).expect(204);
    await endsWithin(stream, 1000);
    expect(closedBecause(stream)).toMatchObject({ type: 'stream_closed', reason: 'session_ended' });
    await comment(admin.token, ticket.ticket_id, 'user is on the layoff list', true);
    expect(stream.messages.some((m) => m.data.type === 'comment')).toBe(false);
    const again = await openRawStream(allEvents(), { token: staffer.token });
    expect(again.status).toBe(401);
  });

  it('a demotion ends the stream, and the reconnect replays only what the new role may see', async () => {
    const staffer = await signUpAs(url, admin.token, 'support');
    // A support engineer's own ticket: they keep seeing it as a user, but no longer its internal notes.
    const ticket = await createTicket(url, staffer.token);
    await comment(admin.token, ticket.ticket_id, 'internal: check their laptop lease first', true);
    await comment(admin.token, ticket.ticket_id, 'We are on it');
    const stream = await openConnected(ticketEvents(ticket.ticket_id), staffer.token, '0');
    await stream.waitFor((m) => m.data.type === 'comment' && m.data.body === 'We are on it');
    expect(stream.messages.some((m) => m.data.internal === true)).toBe(true);

    await request(url).patch(`/api/v1/users/${staffer.id}/role`).auth(admin.token, { type: 'bearer' }).send({ role: 'user' }).expect(200);
    await endsWithin(stream, 1000);
    expect(closedBecause(stream)).toMatchObject({ type: 'stream_closed', reason: 'access_changed' });

    const replayed = await openConnected(ticketEvents(ticket.ticket_id), staffer.token, '0');
    try {
      await replayed.waitFor((m) => m.data.type === 'comment' && m.data.body === 'We are on it');
      expect(replayed.messages.filter((m) => m.data.type === 'comment').map((m) => m.data.body)).toEqual(['We are on it']);
    } finally {
      replayed.close();
    }
  });

  it('deactivation ends every stream of the user, on every session', async () => {
    const staffer = await signUpAs(url, admin.token, 'support');
    const other = await request(url).post('/api/v1/auth/login').send({ email: staffer.email, password: staffer.password }).expect(200);
    const streams = [await openConnected(allEvents(), staffer.token), await openConnected(allEvents(), other.body.access_token)];
    await request(url).delete(`/api/v1/users/${staffer.id}`).auth(admin.token, { type: 'bearer' }).expect(204);
    for (const stream of streams) {
      await endsWithin(stream, 1000);
      expect(closedBecause(stream)).toMatchObject({ type: 'stream_closed', reason: 'session_ended' });
    }
  });

  // What another instance does reaches this one only through the database: a write made there (here
  // straight in SQL, past every in-process signal) must still end the stream within a second.
  it('a role change or revocation written by another instance ends the stream within a second', async () => {
    const staffer = await signUpAs(url, admin.token, 'support');
    const demoted = await openConnected(allEvents(), staffer.token);
    await testApp.sql(`UPDATE users SET role = 'user' WHERE id = $1`, [staffer.id]);
    await endsWithin(demoted, 1000);
    expect(closedBecause(demoted)).toMatchObject({ type: 'stream_closed', reason: 'access_changed' });

    const revoked = await openConnected(allEvents(), staffer.token);
    await testApp.sql(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1`, [staffer.id]);
    await endsWithin(revoked, 1000);
    expect(closedBecause(revoked)).toMatchObject({ type: 'stream_closed', reason: 'session_ended' });
  });

  it('a stream ends when its access token expires; a reconnect with a fresh token and Last-Event-ID loses nothing', async () => {
    const ticket = await createTicket(url, alice.token);
    const claims = JSON.parse(Buffer.from(alice.token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const shortLived = sign({ sub: claims.sub, sid: claims.sid, typ: 'access' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 2 });
    const stream = await openConnected(ticketEvents(ticket.ticket_id), shortLived);
    const elapsed = await endsWithin(stream, 4000);
    expect(elapsed).toBeGreaterThan(500);
    const closed = stream.messages.at(-1);
    expect(closed?.data).toMatchObject({ type: 'stream_closed', reason: 'token_expired' });

    await comment(admin.token, ticket.ticket_id, 'Posted while the client was away');
    const resumed = await openConnected(ticketEvents(ticket.ticket_id), alice.token, closed?.id);
    try {
      const missed = await resumed.waitFor((m) => m.data.type === 'comment');
      expect(missed.data.body).toBe('Posted while the client was away');
    } finally {
      resumed.close();
    }
  });

  it(`allows at most ${MAX_STREAMS} open streams per user: 429 with Retry-After beyond, and a closed stream frees its slot`, async () => {
    const bob = await signUp(url);
    const open = [];
    for (let i = 0; i < MAX_STREAMS; i += 1) open.push(await openConnected(allEvents(), bob.token));
    try {
      const refused = await openRawStream(allEvents(), { token: bob.token });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      await refused.ended;
      // Another user is not affected by bob's streams.
      const carol = await signUp(url);
      const hers = await openConnected(allEvents(), carol.token);
      hers.close();

      open.shift()?.close();
      const deadline = Date.now() + 2000;
      let reopened = await openRawStream(allEvents(), { token: bob.token });
      while (reopened.status === 429 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reopened = await openRawStream(allEvents(), { token: bob.token });
      }
      expect(reopened.status).toBe(200);
      open.push(reopened);
    } finally {
      open.forEach((stream) => stream.close());
    }
  });

  // The access check reads the live sessions of the open streams; streams opened while it reads are not in
  // its question, so their absence from the answer says nothing about them (a client told session_ended
  // signs its user out).
  it('never ends a valid stream as session_ended when hundreds open at once', async () => {
    const users = await mapLimit(Array.from({ length: 100 }), 10, () => signUp(url));
    const checks = jest.spyOn(testApp.app.get(AuthService), 'liveSessions');
    const streams = await Promise.all(users.flatMap((user) => Array.from({ length: MAX_STREAMS }, () => openRawStream(allEvents(), { token: user.token }))));
    try {
      expect(streams.map((stream) => stream.status).filter((status) => status !== 200)).toEqual([]);
      await Promise.all(streams.map((stream) => stream.waitFor((m) => m.data.type === 'connected', 60_000)));
      // Checks never overlap: once a third has begun since every stream was open, two have asked about all of them.
      const before = checks.mock.calls.length;
      await waitUntil(() => checks.mock.calls.length >= before + 3);
      const closed: Record<string, number> = {};
      for (const stream of streams) {
        const reason = stream.messages.find((m) => m.data.type === 'stream_closed')?.data.reason;
        if (typeof reason === 'string') closed[reason] = (closed[reason] ?? 0) + 1;
      }
      expect({ opened: streams.length, closed }).toEqual({ opened: users.length * MAX_STREAMS, closed: {} });
    } finally {
      checks.mockRestore();
      streams.forEach((stream) => stream.close());
    }
  });

  // Two instances need a database server: the embedded one belongs to one process.
  const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;
  onServer('a logout on one instance ends the stream open on another instance within a second', async () => {
    const other = await startServerProcess({ ...testApp.env, LOG_LEVEL: 'silent' });
    try {
      const staffer = await signUpAs(url, admin.token, 'support');
      const stream = await openConnected(`${other.url}/api/v1/events`, staffer.token);
      await request(url).post('/api/v1/auth/logout').auth(staffer.token, { type: 'bearer' }).expect(204);
      await endsWithin(stream, 1000);
      expect(closedBecause(stream)).toMatchObject({ type: 'stream_closed', reason: 'session_ended' });
    } finally {
      await other.stop('SIGTERM');
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
