// Reads the committed trail for the live streams. The ticket_events table is the source: after each commit
// here, when another instance announces its commit (LISTEN/NOTIFY), and on a slow safety poll, one pump
// reads the new rows in id order and publishes them up to the commit frontier (no id a transaction in
// flight could still commit below), so every stream sees events in order, each serialised once.
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { WakeLoop } from '../common/wake-loop';
import { DatabaseNotifications } from '../database/database-notifications';
import { TICKET_EVENTS_APPENDED } from '../tickets/ticket-signals';
import { CommitFrontier, CommittedRead } from '../trail/commit-frontier';
import { EventsRepository, StreamableEvent } from './events.repository';

const BATCH = 500;
/** How soon to read again while events wait behind a gap that transactions in flight may fill (ms). */
const GAP_RECHECK_MS = 5;
/** How long start-up waits for the event writers in flight to end before it names the frontier (ms). */
const START_WAIT_MS = 2000;

@Injectable()
export class EventPump implements OnModuleInit, BeforeApplicationShutdown {
  private readonly published = new Subject<StreamableEvent>();
  private frontier = new CommitFrontier(0);
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private poller?: NodeJS.Timeout;
  private gapRecheck?: NodeJS.Timeout;
  private stopped = false;
  private readonly logger = new Logger(EventPump.name);
  private readonly pumpLoop = new WakeLoop(() => this.pump(), (error) => this.logger.warn(`Reading events failed: ${error instanceof Error ? error.message : String(error)}`));

  constructor(
    private readonly eventsRepository: EventsRepository,
    private readonly config: AppConfig,
    private readonly notifications: DatabaseNotifications,
  ) {}

  async onModuleInit(): Promise<void> {
    this.frontier = new CommitFrontier(await this.startingFrontier());
    this.pumpLoop.start(false);
    // Other instances' events: read at once when they say so, after a listener drop, and on a slow poll.
    this.notifications.on('ticket_events', () => void this.pump());
    this.notifications.onReconnected(() => void this.pump());
    this.poller = setInterval(() => void this.pump(), this.config.events.pollSeconds * 1000);
    this.poller.unref();
  }

  /** Stops reading and completes the published events (every stream ends), before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.pumpLoop.stop();
    clearInterval(this.poller);
    clearTimeout(this.gapRecheck);
    await this.pumping;
    this.published.complete();
  }

  /** Every event as it is published, in id order; completes at shutdown. */
  get events(): Observable<StreamableEvent> {
    return this.published.asObservable();
  }

  /** The id of the last event published: every event at or below it is final. */
  get last(): number {
    return this.frontier.last;
  }

  get isStopped(): boolean {
    return this.stopped;
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

}
