// Fans ticket events out to Server-Sent Event streams. The ticket_events table is the source: after each
// commit here, when another instance announces its commit (LISTEN/NOTIFY), and on a slow safety poll, one
// pump reads the new rows in id order and publishes them up to the commit frontier (no id a transaction in
// flight could still commit below), so every stream sees events in order, and a reconnecting client can be
// given exactly what it missed. A stream lives only as long as the access it was opened with: it ends when
// its token expires, and when its session, its user or their role changes — told in-process at once, and
// checked against the database every SSE_ACCESS_CHECK_MS for what other instances changed.
import { BeforeApplicationShutdown, Injectable, Logger, MessageEvent, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Observable, Subject } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/app-config';
import { WakeLoop } from '../common/wake-loop';
import { DatabaseNotifications } from '../database/database-notifications';
import { TICKET_EVENTS_APPENDED } from '../tickets/ticket-events';
import { isStaff, TicketsService } from '../tickets/tickets.service';
import { ACCESS_CHANGED, AccessChangedSignal } from '../users/access-changed';
import { CommitFrontier, CommittedRead } from '../trail/commit-frontier';
import { EventScope, EventsRepository, StreamableEvent } from './events.repository';
import { OpenStream, OpenStreams, StreamEndReason, StreamViewer } from './open-streams';

const BATCH = 500;
/** How soon to read again while events wait behind a gap that transactions in flight may fill (ms). */
const GAP_RECHECK_MS = 5;
/** How long start-up waits for the event writers in flight to end before it names the frontier (ms). */
const START_WAIT_MS = 2000;
/** Tells a browser's EventSource how soon to reconnect (ms). */
const RETRY_MS = 3000;

@Injectable()
export class EventsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly published = new Subject<StreamableEvent>();
  private frontier = new CommitFrontier(0);
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private poller?: NodeJS.Timeout;
  private gapRecheck?: NodeJS.Timeout;
  private accessChecker?: NodeJS.Timeout;
  private checkingAccess = false;
  private readonly openStreams: OpenStreams;
  private stopped = false;
  private readonly logger = new Logger(EventsService.name);
  private readonly pumpLoop = new WakeLoop(() => this.pump(), (error) => this.logger.warn(`Reading events failed: ${error instanceof Error ? error.message : String(error)}`));

  constructor(
    private readonly eventsRepository: EventsRepository,
    private readonly ticketsService: TicketsService,
    private readonly authService: AuthService,
    private readonly config: AppConfig,
    private readonly notifications: DatabaseNotifications,
  ) {
    this.openStreams = new OpenStreams(config.events.maxStreamsPerUser);
  }

  async onModuleInit(): Promise<void> {
    this.frontier = new CommitFrontier(await this.startingFrontier());
    this.pumpLoop.start(false);
    // Other instances' events: read at once when they say so, after a listener drop, and on a slow poll.
    this.notifications.on('ticket_events', () => void this.pump());
    this.notifications.onReconnected(() => void this.pump());
    this.poller = setInterval(() => void this.pump(), this.config.events.pollSeconds * 1000);
    this.poller.unref();
    this.accessChecker = setInterval(() => void this.checkAccess(), this.config.events.accessCheckMs);
    this.accessChecker.unref();
  }

  /** Ends every open stream and stops reading events, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.pumpLoop.stop();
    clearInterval(this.poller);
    clearInterval(this.accessChecker);
    clearTimeout(this.gapRecheck);
    await this.pumping;
    this.published.complete();
  }

  /** Streams currently open (each holds one subscription to the event bus). */
  get activeStreams(): number {
    return this.openStreams.size;
  }

  /** A logout, demotion or deactivation on this instance: the streams it concerns end before anything else is sent. */
  @OnEvent(ACCESS_CHANGED)
  onAccessChanged(signal: AccessChangedSignal): void {
    this.openStreams.endFor(signal);
  }

  /** Ends the streams whose session or role changed in the database (by any instance) since they opened. */
  async checkAccess(): Promise<void> {
    if (this.checkingAccess || this.stopped || this.openStreams.size === 0) return;
    this.checkingAccess = true;
    try {
      const asked = this.openStreams.snapshot();
      const live = await this.authService.liveSessions([...new Set(asked.map((stream) => stream.sessionId))]);
      this.openStreams.endStale(asked, live);
    } catch (error) {
      this.logger.warn(`Could not check the access of open streams: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.checkingAccess = false;
    }
  }

  /** This instance committed events: the other instances are told, and the pump reads in its own loop. */
  @OnEvent(TICKET_EVENTS_APPENDED)
  onEventsAppended(): void {
    this.notifications.notify('ticket_events');
    this.pumpLoop.wake();
  }

  /** Publishes every event up to the commit frontier not yet published; concurrent calls coalesce into one more round. */
  pump(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.pumpAgain = false;
          let read: CommittedRead<StreamableEvent & { id: number }>;
          let published: number;
          do {
            read = await this.eventsRepository.readCommitted(this.frontier.last, BATCH);
            const ready = this.frontier.advance(read);
            if (this.frontier.needsWriters) this.frontier.holdGap(await this.eventsRepository.eventWriters());
            ready.forEach((item) => this.published.next(item));
            published = ready.length;
            // A gap none of whose possible writers is still running is final: read past it at once.
          } while ((read.rows.length === BATCH && published > 0) || this.frontier.releasable);
        } while (this.pumpAgain);
      } catch (error) {
        // The next signal or poll catches up from the same id.
        this.logger.warn(`Could not read new ticket events: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.pumping = undefined;
      }
      if (this.frontier.holding && !this.stopped && !this.gapRecheck) {
        this.gapRecheck = setTimeout(() => {
          this.gapRecheck = undefined;
          void this.pump();
        }, GAP_RECHECK_MS);
      }
    })();
    return this.pumping;
  }

  /** The newest event id once every event writer in flight at start-up has ended: all below it are final. */
  private async startingFrontier(): Promise<number> {
    const newest = await this.eventsRepository.lastEventId();
    const writers = [...(await this.eventsRepository.eventWriters())].filter((writer) => newest.running.has(writer));
    const deadline = Date.now() + START_WAIT_MS;
    while (writers.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, GAP_RECHECK_MS));
      const { running } = await this.eventsRepository.lastEventId();
      if (!writers.some((writer) => running.has(writer))) return newest.id;
    }
    if (writers.length > 0) this.logger.warn(`Event writers still in flight after ${START_WAIT_MS} ms at start-up; live streams may miss their events`);
    return newest.id;
  }

  /** The stream of one ticket, for a viewer who may see it (404 otherwise). */
  async streamTicket(viewer: StreamViewer, ticketId: string, lastEventId?: number): Promise<Observable<MessageEvent>> {
    this.openStreams.assertRoom(viewer.id);
    await this.ticketsService.assertVisible(viewer, ticketId);
    return this.stream(viewer, { ticketId, includeStaffOnly: isStaff(viewer) }, ticketId, lastEventId);
  }

  /** Every ticket the viewer may see: all for support and admin, their own for users. */
  streamAll(viewer: StreamViewer, lastEventId?: number): Observable<MessageEvent> {
    this.openStreams.assertRoom(viewer.id);
    return this.stream(viewer, { requesterId: isStaff(viewer) ? undefined : viewer.id, includeStaffOnly: isStaff(viewer) }, null, lastEventId);
  }

  private stream(viewer: StreamViewer, scope: EventScope, ticketId: string | null, lastEventId?: number): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      // Every message carries an id (Nest numbers id-less ones itself, which would corrupt a browser's
      // Last-Event-ID): events their own, connected and keepalive the position the client has reached.
      let lastSentId = lastEventId ?? this.frontier.last;
      let replaying = lastEventId !== undefined;
      const held: StreamableEvent[] = [];
      const send = (item: StreamableEvent) => {
        const id = Number(item.event.id);
        if (id <= lastSentId) return;
        lastSentId = id;
        subscriber.next(toMessage(item));
      };

      subscriber.next({
        id: String(lastSentId),
        retry: RETRY_MS,
        data: { type: 'connected', ticket_id: ticketId, timestamp: new Date().toISOString() },
      });
      // Listen before reading the backlog, holding live events back until the backlog is sent: an event
      // committed meanwhile is then either in the backlog or held, and sent once either way.
      const live = this.published.subscribe({
        next: (item) => {
          if (!inScope(item, scope)) return;
          if (replaying) held.push(item);
          else send(item);
        },
        complete: () => subscriber.complete(),
      });
      if (replaying) {
        void this.replay(scope, lastEventId ?? 0, send, () => subscriber.closed || this.stopped)
          .then(() => {
            replaying = false;
            held.splice(0).forEach(send);
          })
          .catch((error: unknown) => subscriber.error(error));
      }
      const keepalive = setInterval(
        () => subscriber.next({ id: String(lastSentId), data: { type: 'keepalive', ticket_id: ticketId, timestamp: new Date().toISOString() } }),
        this.config.events.keepaliveSeconds * 1000,
      );
      // The last message says why the stream ended; its id is where a reconnect (with fresh access) resumes.
      const open: OpenStream = {
        userId: viewer.id,
        sessionId: viewer.sessionId,
        role: viewer.role,
        end: (reason: StreamEndReason) => {
          if (subscriber.closed) return;
          live.unsubscribe();
          subscriber.next({ id: String(lastSentId), data: { type: 'stream_closed', reason, ticket_id: ticketId, timestamp: new Date().toISOString() } });
          subscriber.complete();
        },
      };
      this.openStreams.add(open);
      const expiry = viewer.tokenExpiresAt ? setTimeout(() => open.end('token_expired'), Math.max(0, viewer.tokenExpiresAt.getTime() - Date.now())) : undefined;
      return () => {
        this.openStreams.remove(open);
        clearInterval(keepalive);
        clearTimeout(expiry);
        live.unsubscribe();
      };
    });
  }

  private async replay(scope: EventScope, afterId: number, send: (item: StreamableEvent) => void, gone: () => boolean): Promise<void> {
    let batch: StreamableEvent[];
    let after = afterId;
    do {
      if (gone()) return; // the client left: stop reading its backlog
      // Only up to the frontier: an id above it may still be passed by a later commit below it.
      batch = await this.eventsRepository.findAfter(after, BATCH, scope, this.frontier.last);
      // The query keeps to the scope already; the same rule as for live events decides here too, so that
      // what a viewer may see is settled in one place whichever way an event comes.
      batch.filter((item) => inScope(item, scope)).forEach(send);
      after = Number(batch.at(-1)?.event.id ?? after);
    } while (batch.length === BATCH);
  }
}

function inScope({ event, requesterId }: StreamableEvent, scope: EventScope): boolean {
  if (scope.ticketId && event.ticketId !== scope.ticketId) return false;
  if (scope.requesterId && requesterId !== scope.requesterId) return false;
  return scope.includeStaffOnly || !event.staffOnly;
}

/** Each published event is serialised once, however many streams it goes to. */
const serialised = new WeakMap<StreamableEvent, MessageEvent>();

/**
 * The Local IT Support API's message: a JSON `data:` line with type, ticket_id and timestamp; the `id:` is
 * the event id. The JSON is made here (Nest sends string data as it is) so that a fan-out to a thousand
 * streams stringifies it once.
 */
function toMessage(item: StreamableEvent): MessageEvent {
  const cached = serialised.get(item);
  if (cached) return cached;
  const { event } = item;
  const message = {
    id: event.id,
    data: JSON.stringify({
      ...event.payload,
      type: event.type,
      ticket_id: event.ticketId,
      event_id: event.id,
      actor_id: event.actorId,
      timestamp: event.createdAt.toISOString(),
    }),
  };
  serialised.set(item, message);
  return message;
}
