// Fans ticket events out to Server-Sent Event streams: each stream follows what the EventPump publishes
// (in id order, up to the commit frontier), and a reconnecting client is first given exactly what it missed
// from the table. A stream lives only as long as the access it was opened with: it ends when
// its token expires, and when its session, its user or their role changes — told in-process at once, and
// checked against the database every SSE_ACCESS_CHECK_MS for what other instances changed.
import { BeforeApplicationShutdown, Injectable, Logger, MessageEvent, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Observable } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/app-config';
import type { NotificationDto } from '../notifications/dto/notification.dto';
import { NotificationFeed } from '../notifications/notification-feed';
import { isStaff, TicketsService } from '../tickets/tickets.service';
import { audienceOf, nameFor, type TicketAudience } from '../tickets/ticket-audience';
import { ACCESS_CHANGED, AccessChangedSignal } from '../users/access-changed';
import { EventPump } from './event-pump';
import { EventScope, EventsRepository, StreamableEvent } from './events.repository';
import { OpenStream, OpenStreams, StreamEndReason, StreamViewer } from './open-streams';

/** Events read per statement when a reconnecting client is given what it missed. */
const BATCH = 500;
/** Tells a browser's EventSource how soon to reconnect (ms). */
const RETRY_MS = 3000;

@Injectable()
export class EventsService implements OnModuleInit, BeforeApplicationShutdown {
  private accessChecker?: NodeJS.Timeout;
  private checkingAccess = false;
  private readonly openStreams: OpenStreams;
  private readonly logger = new Logger(EventsService.name);

  constructor(
    private readonly pump: EventPump,
    private readonly eventsRepository: EventsRepository,
    private readonly ticketsService: TicketsService,
    private readonly authService: AuthService,
    private readonly notificationFeed: NotificationFeed,
    private readonly config: AppConfig,
  ) {
    this.openStreams = new OpenStreams(config.events.maxStreamsPerUser);
  }

  onModuleInit(): void {
    this.accessChecker = setInterval(() => void this.checkAccess(), this.config.events.accessCheckMs);
    this.accessChecker.unref();
  }

  /** No more access checks (the streams end when the pump completes, before the database closes). */
  beforeApplicationShutdown(): void {
    clearInterval(this.accessChecker);
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
    if (this.checkingAccess || this.pump.isStopped || this.openStreams.size === 0) return;
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

  /** The stream of one ticket, for a viewer who may see it (404 otherwise). */
  async streamTicket(viewer: StreamViewer, ticketId: string, lastEventId?: number): Promise<Observable<MessageEvent>> {
    this.openStreams.assertRoom(viewer.id);
    await this.ticketsService.assertVisible(viewer, ticketId);
    return this.stream(viewer, { ticketId, includeStaffOnly: isStaff(viewer) }, ticketId, lastEventId);
  }

  /** Every ticket the viewer may see: all for support and admin, their own for users; and the viewer's new notifications. */
  streamAll(viewer: StreamViewer, lastEventId?: number): Observable<MessageEvent> {
    this.openStreams.assertRoom(viewer.id);
    const scope = { requesterId: isStaff(viewer) ? undefined : viewer.id, includeStaffOnly: isStaff(viewer) };
    return this.stream(viewer, scope, null, lastEventId, this.notificationFeed.forUser(viewer.id));
  }

  private stream(viewer: StreamViewer, scope: EventScope, ticketId: string | null, lastEventId?: number, notifications?: Observable<NotificationDto>): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      // Every message carries an id (Nest numbers id-less ones itself, which would corrupt a browser's
      // Last-Event-ID): events their own, connected and keepalive the position the client has reached.
      let lastSentId = lastEventId ?? this.pump.last;
      const audience = audienceOf(viewer);
      let replaying = lastEventId !== undefined;
      const held: StreamableEvent[] = [];
      const send = (item: StreamableEvent) => {
        const id = Number(item.event.id);
        if (id <= lastSentId) return;
        lastSentId = id;
        subscriber.next(toMessage(item, audience));
      };

      subscriber.next({
        id: String(lastSentId),
        retry: RETRY_MS,
        data: { type: 'connected', ticket_id: ticketId, timestamp: new Date().toISOString() },
      });
      // Listen before reading the backlog, holding live events back until the backlog is sent: an event
      // committed meanwhile is then either in the backlog or held, and sent once either way.
      const live = this.pump.events.subscribe({
        next: (item) => {
          if (!inScope(item, scope)) return;
          if (replaying) held.push(item);
          else send(item);
        },
        complete: () => subscriber.complete(),
      });
      // Addressed to this viewer only; not part of the trail, so it carries the position reached (as a
      // keepalive does) and is not replayed: a client that reconnects reads GET /notifications again.
      const told = notifications?.subscribe((notification) =>
        subscriber.next({ id: String(lastSentId), data: { type: 'notification', ticket_id: notification.ticket_id, timestamp: notification.created_at, notification } }),
      );
      if (replaying) {
        void this.replay(scope, lastEventId ?? 0, send, () => subscriber.closed || this.pump.isStopped)
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
          told?.unsubscribe();
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
        told?.unsubscribe();
      };
    });
  }

  private async replay(scope: EventScope, afterId: number, send: (item: StreamableEvent) => void, gone: () => boolean): Promise<void> {
    let batch: StreamableEvent[];
    let after = afterId;
    do {
      if (gone()) return; // the client left: stop reading its backlog
      // Only up to the frontier: an id above it may still be passed by a later commit below it.
      batch = await this.eventsRepository.findAfter(after, BATCH, scope, this.pump.last);
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

/** Each published event is serialised once per audience, however many streams it goes to. */
const serialised = { staff: new WeakMap<StreamableEvent, MessageEvent>(), requester: new WeakMap<StreamableEvent, MessageEvent>() };

/**
 * The Local IT Support API's message: a JSON `data:` line with type, ticket_id and timestamp; the `id:` is
 * the event id. The JSON is made here (Nest sends string data as it is) so that a fan-out to a thousand
 * streams stringifies it once.
 */
function toMessage(item: StreamableEvent, audience: TicketAudience): MessageEvent {
  const cached = serialised[audience].get(item);
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
      actor_name: event.actor ? nameFor(audience, event.actor) : null,
      timestamp: event.createdAt.toISOString(),
    }),
  };
  serialised[audience].set(item, message);
  return message;
}
