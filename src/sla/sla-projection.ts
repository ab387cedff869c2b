// A ticket's service levels are a projection of its committed trail: after a change is committed, this
// consumer re-derives the clocks of each ticket the new events concern — once per ticket per batch, however
// many events it had — stores them for the queue, announces each crossing once, and keeps the timers that
// can fire next. The write itself records what happened and nothing else; GET /tickets/{id}/sla counts on
// read, so it never shows a state older than the ticket's last change.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseNotifications } from '../database/database-notifications';
import { TICKET_EVENTS_APPENDED, TicketEventType } from '../tickets/ticket-events';
import { TrailFollower, TrailProjection, ticketsOf } from '../trail/trail-follower';
import { TrailEntry, TrailRepository } from '../trail/trail.repository';
import { SlaEvaluator } from './sla-evaluator';

/** Events that change no clock: the SLA's own announcements and the approval's. */
const CHANGES_NO_CLOCK = [
  TicketEventType.SlaWarning,
  TicketEventType.SlaBreached,
  TicketEventType.SlaPaused,
  TicketEventType.SlaResumed,
  TicketEventType.SlaMet,
  TicketEventType.ApprovalRequested,
  TicketEventType.ApprovalReminder,
  TicketEventType.ApprovalExpired,
];

@Injectable()
export class SlaProjection implements TrailProjection, OnApplicationBootstrap, OnModuleDestroy {
  readonly consumer = 'sla';
  readonly concerns = `event.type NOT IN (${CHANGES_NO_CLOCK.map((type) => `'${type}'`).join(', ')})`;
  private readonly logger = new Logger(SlaProjection.name);
  private readonly follower: TrailFollower;

  constructor(
    private readonly evaluator: SlaEvaluator,
    private readonly config: AppConfig,
    private readonly notifications: DatabaseNotifications,
    trail: TrailRepository,
    txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    this.follower = new TrailFollower(this, trail, (work) => txHost.withTransaction(work), (error) =>
      this.logger.warn(`SLA projection: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // Other instances' commits: read when they say so, and after a listener drop.
    this.notifications.on('ticket_events', () => this.follower.wake());
    this.notifications.onReconnected(() => this.follower.wake());
    await this.follower.start(this.config.events.pollSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.follower.stop();
  }

  @OnEvent(TICKET_EVENTS_APPENDED)
  onEventsAppended(): void {
    this.follower.wake();
  }

  /** Every event committed so far is reflected in the stored clocks (tests, and reads that must not lag). */
  caughtUp(): Promise<void> {
    return this.follower.caughtUp();
  }

  async apply(entries: TrailEntry[]): Promise<void> {
    for (const ticketId of ticketsOf(entries)) await this.evaluator.evaluate(ticketId);
  }
}
