// Whether a waiting approval's plan still holds is a projection of the committed trail: after a change of
// a ticket is committed, this consumer looks at each ticket the new workflow updates concern and, when the
// plan its open approval request shows has changed (a new priority, say), supersedes the request with one
// for the current plan. Until it has, a decision on the old plan is refused (ApprovalsService.settle).
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseNotifications } from '../database/database-notifications';
import { TICKET_EVENTS_APPENDED, TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TrailFollower, TrailProjection, ticketsOf } from '../trail/trail-follower';
import { TrailEntry, TrailRepository } from '../trail/trail.repository';
import { ApprovalsService } from './approvals.service';

@Injectable()
export class ApprovalPlanProjection implements TrailProjection, OnApplicationBootstrap, OnModuleDestroy {
  readonly consumer = 'approval-plans';
  /** A change of a ticket whose approval request waits (the others have no plan to keep current). */
  readonly concerns = `event.type = '${TicketEventType.WorkflowUpdate}' AND EXISTS (SELECT 1 FROM approvals AS waiting WHERE waiting.ticket_id = event.ticket_id AND waiting.state = 'pending')`;
  private readonly logger = new Logger(ApprovalPlanProjection.name);
  private readonly follower: TrailFollower;

  constructor(
    private readonly approvals: ApprovalsService,
    private readonly ticketWriter: TicketWriter,
    private readonly config: AppConfig,
    private readonly notifications: DatabaseNotifications,
    trail: TrailRepository,
    txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    this.follower = new TrailFollower(this, trail, (work) => txHost.withTransaction(work), (error) =>
      this.logger.warn(`Approval plan projection: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
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

  caughtUp(): Promise<void> {
    return this.follower.caughtUp();
  }

  async apply(entries: TrailEntry[]): Promise<void> {
    for (const ticketId of ticketsOf(entries)) {
      // The ticket's lock first, as every writer of a ticket takes it: the approval timers may be at it too.
      await this.ticketWriter.lockTicket(ticketId);
      await this.approvals.raiseAgainIfPlanChanged(ticketId);
    }
  }
}
