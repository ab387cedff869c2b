import { Logger, MessageEvent, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { NEVER, Observable, Subscription } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { DatabaseNotifications } from '../database/database-notifications';
import { AppConfig } from '../config/app-config';
import type { NotificationFeed } from '../notifications/notification-feed';
import { TicketEvent } from '../tickets/ticket-event.entity';
import { TicketsService, Viewer } from '../tickets/tickets.service';
import { StreamViewer } from './open-streams';
import { Role } from '../users/role.enum';
import { EventScope, EventsRepository, StreamableEvent } from './events.repository';
import { EventPump } from './event-pump';
import { EventsService } from './events.service';

/** The streams' notifications are tested end to end (test/notifications.e2e-spec.ts). */
const noNotifications = { forUser: () => NEVER } as unknown as NotificationFeed;

/**
 * Committed ticket events with increasing ids and nothing in flight. `findAfter` keeps to the id range and
 * the limit (the replay's paging rests on them) but returns every ticket's events whatever the scope: who
 * may see what is the service's rule to keep, and a fake that filtered for it would test itself. The
 * query's own filter is tested on a real database (test/security/audience, streams).
 */
class FakeEventsRepository {
  readonly rows: StreamableEvent[] = [];

  lastEventId = jest.fn(async () => ({ id: this.rows.length, running: new Set<string>() }));
  readCommitted = jest.fn(async (afterId: number, limit: number) => ({
    rows: this.read(afterId, limit).map((row) => ({ ...row, id: Number(row.event.id) })),
    running: new Set<string>(),
  }));
  eventWriters = jest.fn(async () => new Set<string>());
  findAfter = jest.fn(async (afterId: number, limit: number, _scope?: EventScope, upTo?: number) => this.read(afterId, limit, undefined, upTo));

  read(afterId: number, limit: number, scope?: EventScope, upTo = Infinity): StreamableEvent[] {
    return this.rows
      .filter(({ event, requesterId }) => Number(event.id) > afterId && Number(event.id) <= upTo && (!scope?.ticketId || event.ticketId === scope.ticketId)
        && (!scope?.requesterId || requesterId === scope.requesterId) && (!scope || scope.includeStaffOnly || !event.staffOnly))
      .slice(0, limit);
  }

  append(ticket: { id: string; requesterId: string }, fields: Partial<TicketEvent> = {}): void {
    const event = { id: String(this.rows.length + 1), ticketId: ticket.id, type: 'workflow_update', actorId: null, staffOnly: false,
      payload: { status: 'in_progress' }, createdAt: new Date('2025-03-01T10:00:00.000Z'), ...fields } as TicketEvent;
    this.rows.push({ event, requesterId: ticket.requesterId });
  }
}

const person = (role: Role): StreamViewer => ({ id: randomUUID(), role, employeeId: randomUUID().slice(0, 8), sessionId: randomUUID() });
const [alice, bob, sam] = [person(Role.User), person(Role.User), person(Role.Support)];
const [alicesTicket, bobsTicket] = [{ id: randomUUID(), requesterId: alice.id }, { id: randomUUID(), requesterId: bob.id }];
const config = { events: { keepaliveSeconds: 30, pollSeconds: 3600, maxStreamsPerUser: 10, accessCheckMs: 7 * 24 * 3600_000 } } as AppConfig;
const settle = () => new Promise((resolve) => setImmediate(resolve));
const deferred = () => {
  let release!: () => void;
  return { promise: new Promise<void>((resolve) => (release = resolve)), release: () => release() };
};

describe(EventsService.name, () => {
  let sut: EventsService;
  let pump: EventPump;
  let repository: FakeEventsRepository;
  let ticketsService: { assertVisible: jest.Mock };
  /** The sessions alive in the database, with their user's role now. */
  let liveSessions: Map<string, Role>;
  let authService: { liveSessions: jest.Mock };
  let subscriptions: Subscription[];

  /** Subscribes like an SSE response would, keeping every message and whether the stream completed. */
  const open = (stream: Observable<MessageEvent>) => {
    const messages: MessageEvent[] = [];
    const events = () => messages.filter((m) => !['connected', 'keepalive', 'stream_closed'].includes((m.data as { type: string }).type));
    const received = { messages, completed: false, /** ids of the ticket events received */ get ids() { return events().map((m) => m.id); } };
    // Event data arrives as JSON text (serialised once per event), the stream's own messages as objects.
    const parsed = (message: MessageEvent) => (typeof message.data === 'string' ? { ...message, data: JSON.parse(message.data) as object } : message);
    subscriptions.push(stream.subscribe({ next: (message) => messages.push(parsed(message)), complete: () => (received.completed = true) }));
    return received;
  };

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask'] });
    repository = new FakeEventsRepository();
    [alicesTicket, bobsTicket, alicesTicket].forEach((ticket) => repository.append(ticket)); // ids 1..3, before start-up
    ticketsService = {
      assertVisible: jest.fn(async (viewer: Viewer, ticketId: string) => {
        const ticket = [alicesTicket, bobsTicket].find((t) => t.id === ticketId);
        if (!ticket || (viewer.role === Role.User && ticket.requesterId !== viewer.id)) throw new NotFoundException(`Ticket ${ticketId} not found`);
      }),
    };
    liveSessions = new Map();
    authService = { liveSessions: jest.fn(async (ids: string[]) => new Map(ids.filter((id) => liveSessions.has(id)).map((id) => [id, liveSessions.get(id)]))) };
    subscriptions = [];
    pump = new EventPump(repository as unknown as EventsRepository, config, new DatabaseNotifications(config));
    sut = new EventsService(pump, repository as unknown as EventsRepository, ticketsService as unknown as TicketsService, authService as unknown as AuthService, noNotifications, config);
    await pump.onModuleInit();
    sut.onModuleInit();
  });

  afterEach(async () => {
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    sut.beforeApplicationShutdown();
    await pump.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('greets a new stream with connected, a retry delay and the last published id as its position, without reading', () => {
    const stream = open(sut.streamAll(alice));
    expect(stream.messages).toEqual([
      { id: '3', retry: 3000, data: { type: 'connected', ticket_id: null, timestamp: new Date().toISOString() } },
    ]);
    expect(repository.findAfter).not.toHaveBeenCalled();
  });

  it('delivers pumped events in id order, each under its own id with its type, ticket, time and payload', async () => {
    const stream = open(sut.streamAll(sam));
    repository.append(bobsTicket, { payload: { status: 'resolved', type: 'spoofed', ticket_id: 'spoofed' } });
    repository.append(alicesTicket, { type: 'comment', actorId: sam.id, payload: { body: 'On it' } });

    await pump.pump();

    expect(stream.messages.slice(1)).toEqual([
      { id: '4', data: { type: 'workflow_update', ticket_id: bobsTicket.id, event_id: '4', actor_id: null, actor_name: null, timestamp: '2025-03-01T10:00:00.000Z',
        status: 'resolved' } },
      { id: '5', data: { type: 'comment', ticket_id: alicesTicket.id, event_id: '5', actor_id: sam.id, actor_name: null, timestamp: '2025-03-01T10:00:00.000Z',
        body: 'On it' } },
    ]);
    expect(repository.readCommitted).toHaveBeenCalledWith(3, 500);
  });

  it('replays exactly the events after the last event id, in order, starting from that position', async () => {
    const stream = open(sut.streamAll(sam, 1));
    await settle();
    expect(stream.messages[0]).toMatchObject({ id: '1', data: { type: 'connected' } });
    expect(stream.ids).toEqual(['2', '3']);
    expect(repository.findAfter).toHaveBeenCalledWith(1, 500, { requesterId: undefined, includeStaffOnly: true }, 3);
  });

  it.each([['had already read it', false], ['reads it too', true]])(
    'delivers an event pumped while the replay is reading exactly once, after the replayed ones, when the replay %s',
    async (_, replaySeesIt) => {
      const reading = deferred();
      repository.findAfter.mockImplementationOnce(async (afterId, limit, scope) => {
        const before = repository.read(afterId, limit, scope);
        await reading.promise;
        return replaySeesIt ? repository.read(afterId, limit, scope) : before;
      });
      const stream = open(sut.streamAll(sam, 1));

      repository.append(alicesTicket);
      await pump.pump();
      expect(stream.ids).toEqual([]);
      reading.release();
      await settle();

      expect(stream.ids).toEqual(['2', '3', '4']);
    },
  );

  it.each([['live', undefined], ['replayed', 0]])("shows a user only their own tickets' %s events, without staff-only ones", async (_, from) => {
    // Published before the streams open, the events can only reach them by the replay; after, only live.
    const appendAndPump = async () => {
      repository.append(alicesTicket, { staffOnly: true });
      repository.append(bobsTicket);
      repository.append(alicesTicket);
      await pump.pump();
    };
    if (from !== undefined) await appendAndPump();
    const [userStream, staffStream] = [open(sut.streamAll(alice, from)), open(sut.streamAll(sam, from))];
    if (from === undefined) await appendAndPump();
    await settle();

    expect(userStream.ids).toEqual(from === undefined ? ['6'] : ['1', '3', '6']);
    expect(staffStream.ids).toEqual(from === undefined ? ['4', '5', '6'] : ['1', '2', '3', '4', '5', '6']);
    if (from !== undefined) {
      // The database is asked for no more than the viewer may see, so that a replay reads only that.
      expect(repository.findAfter).toHaveBeenCalledWith(0, 500, { requesterId: alice.id, includeStaffOnly: false }, 6);
      expect(repository.findAfter).toHaveBeenCalledWith(0, 500, { requesterId: undefined, includeStaffOnly: true }, 6);
    }
  });

  it("streams one ticket's events to someone who may see it, naming the ticket in connected", async () => {
    const stream = open(await sut.streamTicket(alice, alicesTicket.id));
    repository.append(bobsTicket);
    repository.append(alicesTicket);

    await pump.pump();

    expect(ticketsService.assertVisible).toHaveBeenCalledWith(alice, alicesTicket.id);
    expect(stream.messages[0]).toMatchObject({ id: '3', data: { type: 'connected', ticket_id: alicesTicket.id } });
    expect(stream.ids).toEqual(['5']);
  });

  it('refuses to stream a ticket the viewer may not see, opening nothing', async () => {
    await expect(sut.streamTicket(alice, bobsTicket.id, 0)).rejects.toThrow(new NotFoundException(`Ticket ${bobsTicket.id} not found`));
    expect(sut.activeStreams).toBe(0);
    expect(repository.findAfter).not.toHaveBeenCalled();
  });

  it('sends a keepalive every keepaliveSeconds carrying the position the stream has reached', async () => {
    const stream = open(sut.streamAll(alice));

    jest.advanceTimersByTime(29_999);
    expect(stream.messages).toHaveLength(1);
    jest.advanceTimersByTime(1);
    repository.append(alicesTicket);
    await pump.pump();
    jest.advanceTimersByTime(30_000);

    expect(stream.messages.slice(1).map(({ id, data }) => [id, (data as { type: string }).type])).toEqual([
      ['3', 'keepalive'], ['4', 'workflow_update'], ['4', 'keepalive'],
    ]);
  });

  it('never claims in a keepalive a position beyond what a resuming stream has been sent', () => {
    repository.findAfter.mockReturnValueOnce(new Promise(() => undefined)); // the replay is still reading
    const stream = open(sut.streamAll(sam, 1));
    jest.advanceTimersByTime(30_000);
    expect(stream.messages.at(-1)).toMatchObject({ id: '1', data: { type: 'keepalive' } });
  });

  it('polls for events committed elsewhere every pollSeconds', async () => {
    const stream = open(sut.streamAll(sam));
    repository.append(bobsTicket);
    jest.advanceTimersByTime(3_600_000);
    await settle();
    expect(stream.ids).toEqual(['4']);
  });

  it('counts open streams and leaks no subscription or timer over 10,000 opened and closed streams', () => {
    const timers = jest.getTimerCount();
    const open3 = [alice, bob, sam].map((viewer) => sut.streamAll(viewer).subscribe());
    expect(sut.activeStreams).toBe(3);
    open3.forEach((subscription) => subscription.unsubscribe());

    for (let i = 0; i < 10_000; i += 1) sut.streamAll(i % 2 ? alice : sam, i % 3 ? undefined : 3).subscribe().unsubscribe();

    expect(sut.activeStreams).toBe(0);
    expect(pump['published'].observed).toBe(false); // no stream is left listening to the event bus
    expect(jest.getTimerCount()).toBe(timers);
  });

  it('completes every open stream on shutdown and reads nothing more', async () => {
    const streams = [open(sut.streamAll(alice)), open(sut.streamAll(sam))];

    sut.beforeApplicationShutdown();
    await pump.beforeApplicationShutdown();
    repository.append(alicesTicket);
    await pump.pump();

    expect(streams.map((stream) => stream.completed)).toEqual([true, true]);
    expect(sut.activeStreams).toBe(0);
    expect(repository.findAfter).not.toHaveBeenCalled();
  });

  it('coalesces pumps requested while one is reading into one more round, never reading twice at once', async () => {
    const [reading, stream] = [deferred(), open(sut.streamAll(sam))];
    let [inFlight, mostInFlight] = [0, 0];
    const read = repository.readCommitted.getMockImplementation()!;
    repository.readCommitted.mockImplementation(async (afterId, limit) => {
      const rows = await read(afterId, limit);
      mostInFlight = Math.max(mostInFlight, (inFlight += 1));
      await reading.promise;
      inFlight -= 1;
      return rows;
    });

    const pumps = [pump.pump()];
    repository.append(alicesTicket); // committed after the running read began: only another round can see it
    pumps.push(pump.pump(), pump.pump());
    expect(repository.readCommitted).toHaveBeenCalledTimes(1);
    reading.release();
    await Promise.all(pumps);

    expect(repository.readCommitted.mock.calls).toEqual([[3, 500], [3, 500]]);
    expect(mostInFlight).toBe(1);
    expect(stream.ids).toEqual(['4']);
  });

  it('reads a large backlog in batches of 500 until a short one', async () => {
    const stream = open(sut.streamAll(sam));
    for (let i = 0; i < 1000; i += 1) repository.append(bobsTicket);
    await pump.pump();
    expect(repository.readCommitted.mock.calls).toEqual([[3, 500], [503, 500], [1003, 500]]);
    expect(stream.ids).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 4)));
  });

  it('holds events behind a gap a writer in flight may fill, reads again by itself, and replays only up to the frontier', async () => {
    const stream = open(sut.streamAll(sam));
    repository.append(alicesTicket); // 4: its writer is still in flight, so the reader cannot see it yet
    repository.append(bobsTicket); // 5: committed
    let fourCommitted = false;
    const read = repository.readCommitted.getMockImplementation()!;
    repository.readCommitted.mockImplementation(async (afterId, limit) => {
      const result = await read(afterId, limit);
      return fourCommitted ? result : { rows: result.rows.filter((row) => row.id !== 4), running: new Set(['77']) };
    });
    repository.eventWriters.mockResolvedValue(new Set(['77']));

    await pump.pump();
    expect(stream.ids).toEqual([]);
    const replay = open(sut.streamAll(sam, 3));
    await settle();
    expect(repository.findAfter).toHaveBeenLastCalledWith(3, 500, { requesterId: undefined, includeStaffOnly: true }, 3);

    fourCommitted = true; // no signal: the pump must look again on its own, soon
    await jest.advanceTimersByTimeAsync(10);
    expect(stream.ids).toEqual(['4', '5']);
    expect(replay.ids).toEqual(['4', '5']);
  });

  it('serialises an event once per audience, however many streams it goes to', async () => {
    const streams = [open(sut.streamAll(sam)), open(sut.streamAll(sam)), open(sut.streamAll(alice)), open(sut.streamAll(alice))];
    repository.append(alicesTicket);
    const stringify = jest.spyOn(JSON, 'stringify');
    await pump.pump();
    expect(streams.map((stream) => stream.ids)).toEqual([['4'], ['4'], ['4'], ['4']]);
    // Staff read names in full, the requester support's first names: one message for each.
    expect(stringify).toHaveBeenCalledTimes(2);
  });

  it('logs a failed read and catches up from the same id on the next pump', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const stream = open(sut.streamAll(sam));
    repository.append(alicesTicket);
    repository.readCommitted.mockRejectedValueOnce(new Error('connection lost'));

    await expect(pump.pump()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('Could not read new ticket events: connection lost');
    expect(stream.ids).toEqual([]);
    await pump.pump();

    expect(stream.ids).toEqual(['4']);
  });

  describe('streams follow access', () => {
    const typeOf = (message: MessageEvent | undefined) => (message?.data as { type: string; reason?: string } | undefined);

    it('ends the streams of the session a logout names, and only those, with the reason last', () => {
      const otherSession = { ...sam, sessionId: randomUUID() };
      const [first, second] = [open(sut.streamAll(sam)), open(sut.streamAll(otherSession))];
      sut.onAccessChanged({ userId: sam.id, sessionId: sam.sessionId, reason: 'session_ended' });
      expect(first.completed).toBe(true);
      expect(typeOf(first.messages.at(-1))).toMatchObject({ type: 'stream_closed', reason: 'session_ended' });
      expect(second.completed).toBe(false);
      expect(sut.activeStreams).toBe(1);
    });

    it('sends nothing more once ended, even an event already being published', async () => {
      const stream = open(sut.streamAll(sam));
      sut.onAccessChanged({ userId: sam.id, reason: 'access_changed' });
      repository.append(alicesTicket, { staffOnly: true });
      await pump.pump();
      expect(stream.ids).toEqual([]);
    });

    it('checks every open session against the database in one query: gone ends it, another role ends it, unchanged keeps it', async () => {
      const [kept, demoted, revoked] = [{ ...sam, sessionId: randomUUID() }, { ...sam, sessionId: randomUUID() }, { ...alice, sessionId: randomUUID() }];
      liveSessions.set(kept.sessionId, Role.Support).set(demoted.sessionId, Role.User);
      const streams = [kept, demoted, revoked].map((viewer) => open(sut.streamAll(viewer)));
      await sut.checkAccess();
      expect(authService.liveSessions).toHaveBeenCalledTimes(1);
      expect(new Set(authService.liveSessions.mock.calls[0][0])).toEqual(new Set([kept.sessionId, demoted.sessionId, revoked.sessionId]));
      expect(streams.map((stream) => stream.completed)).toEqual([false, true, true]);
      expect(streams.slice(1).map((stream) => typeOf(stream.messages.at(-1))?.reason)).toEqual(['access_changed', 'session_ended']);
    });

    it('ends only the streams it asked about: one opened while the sessions are read is left to the next check', async () => {
      const [asked, openedMeanwhile] = [{ ...sam, sessionId: randomUUID() }, { ...alice, sessionId: randomUUID() }];
      liveSessions.set(asked.sessionId, Role.Support).set(openedMeanwhile.sessionId, Role.User);
      const answer = deferred();
      const read = authService.liveSessions.getMockImplementation()!;
      authService.liveSessions.mockImplementationOnce(async (ids: string[]) => {
        await answer.promise;
        return read(ids);
      });
      const first = open(sut.streamAll(asked));

      const checking = sut.checkAccess();
      const second = open(sut.streamAll(openedMeanwhile));
      answer.release();
      await checking;

      expect(authService.liveSessions).toHaveBeenCalledWith([asked.sessionId]);
      expect([first.completed, second.completed]).toEqual([false, false]);
      await sut.checkAccess();
      expect(authService.liveSessions).toHaveBeenLastCalledWith(expect.arrayContaining([asked.sessionId, openedMeanwhile.sessionId]));
      expect([first.completed, second.completed]).toEqual([false, false]);
    });

    it('does not query while no stream is open', async () => {
      await sut.checkAccess();
      expect(authService.liveSessions).not.toHaveBeenCalled();
    });

    it('ends a stream when its access token expires', () => {
      const stream = open(sut.streamAll({ ...alice, tokenExpiresAt: new Date(Date.now() + 60_000) }));
      jest.advanceTimersByTime(59_000);
      expect(stream.completed).toBe(false);
      jest.advanceTimersByTime(1_000);
      expect(stream.completed).toBe(true);
      expect(typeOf(stream.messages.at(-1))).toMatchObject({ type: 'stream_closed', reason: 'token_expired' });
    });

    it('refuses a user more streams than allowed with 429, and counts a closed stream out', () => {
      const limited = new EventsService(pump, repository as unknown as EventsRepository, ticketsService as unknown as TicketsService, authService as unknown as AuthService, noNotifications,
        { events: { ...config.events, maxStreamsPerUser: 2 } } as AppConfig);
      const streams = [limited.streamAll(bob), limited.streamAll(bob)].map((stream) => stream.subscribe());
      expect(() => limited.streamAll(bob)).toThrow(expect.objectContaining({ status: 429, retryAfterSeconds: expect.any(Number) }));
      expect(() => limited.streamAll(alice)).not.toThrow();
      streams[0].unsubscribe();
      expect(() => limited.streamAll(bob)).not.toThrow();
      streams[1].unsubscribe();
    });
  });
});
