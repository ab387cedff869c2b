import request from 'supertest';
import { EventsService } from '../src/events/events.service';
import { bootTestApp, WITHOUT_WORKFLOW, TestApp } from './support/test-app';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { openStream, streamStatus, StreamMessage } from './support/sse';
import { createTicket, patchTicket } from './support/tickets';

const isUpdate = (status: string) => (message: StreamMessage) => message.data.type === 'workflow_update' && message.data.status === status;

describe('Live events over SSE (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, SSE_KEEPALIVE_SECONDS: '1' });
    url = testApp.url;
    admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
  });
  afterAll(() => testApp.close());

  const streamUrl = (ticketId?: string) => `${url}/api/v1/events${ticketId ? `/${ticketId}` : ''}`;

  it('sends connected first, then a workflow_update caused by a PATCH, as plain data messages with ids', async () => {
    const ticket = await createTicket(url, alice.token);
    const stream = await openStream(streamUrl(ticket.ticket_id), { token: alice.token });
    try {
      const connected = await stream.waitFor((m) => m.data.type === 'connected');
      expect(stream.messages[0]).toBe(connected);
      expect(connected.data).toEqual({ type: 'connected', ticket_id: ticket.ticket_id, timestamp: expect.any(String) });
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'in_progress', comment: 'Working on it' }).expect(200);
      const update = await stream.waitFor(isUpdate('in_progress'));
      // No SSE `event:` name, so a browser's EventSource.onmessage receives it (the Local IT Support API's client).
      expect(update.event).toBe('message');
      expect(update.data).toMatchObject({
        type: 'workflow_update',
        ticket_id: ticket.ticket_id,
        status: 'in_progress',
        decision: 'pending',
        next_action: 'workflow_in_progress',
        comment: 'Working on it',
        actor_id: support.id,
      });
      expect(Date.parse(String(update.data.timestamp))).not.toBeNaN();
      expect(update.id).toBe(update.data.event_id);
      const trail = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(alice.token, { type: 'bearer' }).expect(200);
      expect(trail.body.events.at(-1).id).toBe(update.id);
    } finally {
      stream.close();
    }
  });

  it('replays exactly the missed events after a reconnect with Last-Event-ID, then goes on live', async () => {
    const ticket = await createTicket(url, alice.token);
    const first = await openStream(streamUrl(ticket.ticket_id), { token: alice.token });
    await patchTicket(url, support.token, ticket.ticket_id, { status: 'in_progress' }).expect(200);
    const seen = await first.waitFor(isUpdate('in_progress'));
    first.close();

    await patchTicket(url, support.token, ticket.ticket_id, { status: 'waiting_for_user' }).expect(200);
    await request(url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'Which database?' }).expect(201);
    await request(url).post(`/api/v1/tickets/${ticket.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'internal', internal: true }).expect(201);
    await patchTicket(url, support.token, ticket.ticket_id, { status: 'in_progress' }).expect(200);

    const second = await openStream(streamUrl(ticket.ticket_id), { token: alice.token, lastEventId: seen.id });
    try {
      await second.waitFor((m) => m.data.type === 'workflow_update' && m.data.status === 'in_progress' && Number(m.id) > Number(seen.id));
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'resolved' }).expect(200);
      await second.waitFor(isUpdate('resolved'));
      const events = second.messages.filter((m) => m.data.type !== 'connected' && m.data.type !== 'keepalive');
      expect(events.map((m) => [m.data.type, m.data.status ?? m.data.body])).toEqual([
        ['workflow_update', 'waiting_for_user'],
        ['comment', 'Which database?'],
        ['workflow_update', 'in_progress'],
        ['workflow_update', 'resolved'],
      ]);
      const ids = events.map((m) => Number(m.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids[0]).toBeGreaterThan(Number(seen.id));
    } finally {
      second.close();
    }
  });

  it('loses and repeats nothing when events are committed while the client reconnects', async () => {
    const ticket = await createTicket(url, alice.token);
    const trailIds = async () =>
      (await request(url).get(`/api/v1/tickets/${ticket.ticket_id}/events?limit=500`).auth(alice.token, { type: 'bearer' }).expect(200)).body.events.map(
        (e: { id: string }) => e.id,
      );
    const [created] = await trailIds();
    // The ticket starts at priority high; cycling through the others changes it on every write.
    const priorities = ['low', 'medium', 'critical'];
    const writes = (async () => {
      for (let i = 0; i < 12; i++) await patchTicket(url, support.token, ticket.ticket_id, { priority: priorities[i % 3] }).expect(200);
      await patchTicket(url, support.token, ticket.ticket_id, { status: 'resolved' }).expect(200);
    })();
    const stream = await openStream(`${streamUrl(ticket.ticket_id)}?last_event_id=${created}`, { token: alice.token });
    try {
      await writes;
      await stream.waitFor(isUpdate('resolved'));
      const received = stream.messages.filter((m) => m.data.type === 'workflow_update').map((m) => m.id);
      expect(received).toEqual((await trailIds()).slice(1));
    } finally {
      stream.close();
    }
  });

  it('accepts the token as ?access_token= for browsers, and refuses a stream without a valid token', async () => {
    const ticket = await createTicket(url, alice.token);
    const stream = await openStream(streamUrl(ticket.ticket_id), { token: alice.token, tokenInQuery: true });
    await stream.waitFor((m) => m.data.type === 'connected');
    stream.close();
    expect((await streamStatus(streamUrl(ticket.ticket_id))).status).toBe(401);
    expect((await streamStatus(`${streamUrl(ticket.ticket_id)}?access_token=not-a-token`)).status).toBe(401);
    // Only the event streams take a token from the URL.
    await request(url).get(`/api/v1/users/me?access_token=${alice.token}`).expect(401);
  });

  it('answers 404 for another user’s ticket stream, exactly as for a missing ticket', async () => {
    const ticket = await createTicket(url, alice.token);
    const other = await streamStatus(streamUrl(ticket.ticket_id), bob.token);
    const missing = await streamStatus(streamUrl('00000000-0000-4000-8000-000000000000'), bob.token);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await streamStatus(streamUrl('not-a-uuid'), bob.token)).status).toBe(400);
    const badResume = await fetch(streamUrl(ticket.ticket_id), { headers: { Authorization: `Bearer ${alice.token}`, 'Last-Event-ID': 'abc' } });
    expect(badResume.status).toBe(400);
  });

  it('streams every visible ticket on /events: a user their own, support all, internal notes to staff only', async () => {
    const userStream = await openStream(streamUrl(), { token: bob.token });
    const supportStream = await openStream(streamUrl(), { token: support.token });
    try {
      const alices = await createTicket(url, alice.token, { title: 'Alice on the dashboard' });
      const bobs = await createTicket(url, bob.token, { title: 'Bob on the dashboard' });
      await request(url).post(`/api/v1/tickets/${bobs.ticket_id}/comments`).auth(support.token, { type: 'bearer' }).send({ body: 'staff only', internal: true }).expect(201);
      await patchTicket(url, support.token, bobs.ticket_id, { status: 'in_progress' }).expect(200);

      await supportStream.waitFor((m) => m.data.ticket_id === bobs.ticket_id && m.data.status === 'in_progress');
      await userStream.waitFor((m) => m.data.ticket_id === bobs.ticket_id && m.data.status === 'in_progress');
      const supportSaw = supportStream.messages.map((m) => m.data);
      expect(supportSaw.some((d) => d.ticket_id === alices.ticket_id)).toBe(true);
      expect(supportSaw.some((d) => d.type === 'comment' && d.body === 'staff only')).toBe(true);
      const bobSaw = userStream.messages.map((m) => m.data).filter((d) => d.type !== 'connected' && d.type !== 'keepalive');
      expect(bobSaw.every((d) => d.ticket_id === bobs.ticket_id)).toBe(true);
      expect(bobSaw.map((d) => d.type)).toEqual(['workflow_update', 'workflow_update']);
    } finally {
      userStream.close();
      supportStream.close();
    }
  });

  it('sends a keepalive on schedule, carrying the position so a reconnect resumes correctly', async () => {
    const ticket = await createTicket(url, alice.token);
    const stream = await openStream(streamUrl(ticket.ticket_id), { token: alice.token });
    try {
      const connected = await stream.waitFor((m) => m.data.type === 'connected');
      const keepalive = await stream.waitFor((m) => m.data.type === 'keepalive', 30_000);
      expect(keepalive.data).toEqual({ type: 'keepalive', ticket_id: ticket.ticket_id, timestamp: expect.any(String) });
      expect(keepalive.id).toBe(connected.id);
    } finally {
      stream.close();
    }
  });

  it('releases every subscription when clients disconnect', async () => {
    const events = testApp.app.get(EventsService);
    const ticket = await createTicket(url, alice.token);
    for (let round = 0; round < 20; round++) {
      const streams = await Promise.all(Array.from({ length: 10 }, () => openStream(streamUrl(ticket.ticket_id), { token: alice.token })));
      expect(events.activeStreams).toBeGreaterThanOrEqual(10);
      streams.forEach((stream) => stream.close());
    }
    const deadline = Date.now() + 5000;
    while (events.activeStreams > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.activeStreams).toBe(0);
  });
});
