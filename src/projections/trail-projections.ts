// The projections of the committed trail this app keeps — whether new reports make a major incident (first:
// its reads and its embedding take no ticket's lock, so they do not lengthen the locks the others hold until
// the pass commits, which the approval timers skip), a ticket's SLA clocks, then whether its waiting
// approval's plan still holds, then who is told of what happened (notifications) — worked in one pass per wake-up: one transaction, one claim of their shared
// checkpoint, one read of the new events, each projection given those that concern it. A wake-up comes
// with every commit here (after it), with other instances' notifications, and from a slow poll.
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IncidentDetectionProjection } from '../incidents/incident-detection.projection';
import { ApprovalPlanProjection } from '../approvals/approval-plan-projection';
import { AppConfig } from '../config/app-config';
import { DatabaseNotifications } from '../database/database-notifications';
import { NotificationsProjection } from '../notifications/notifications-projection';
import { SlaProjection } from '../sla/sla-projection';
import { TICKET_EVENTS_APPENDED } from '../tickets/ticket-signals';
import { TrailFollower } from '../trail/trail-follower';
import { TrailRepository } from '../trail/trail.repository';

/** The checkpoint the projections share. */
export const PROJECTIONS_CHECKPOINT = 'projections';

@Injectable()
export class TrailProjections implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TrailProjections.name);
  private readonly follower: TrailFollower;

  constructor(
    sla: SlaProjection,
    approvalPlans: ApprovalPlanProjection,
    notifications: NotificationsProjection,
    incidents: IncidentDetectionProjection,
    trail: TrailRepository,
    txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly databaseNotifications: DatabaseNotifications,
  ) {
    this.follower = new TrailFollower(PROJECTIONS_CHECKPOINT, [incidents, sla, approvalPlans, notifications], trail, (work) => txHost.withTransaction(work), (error) =>
      this.logger.warn(`Projections of the trail: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // Other instances' commits: read when they say so, and after a listener drop.
    this.databaseNotifications.on('ticket_events', () => this.follower.wake());
    this.databaseNotifications.onReconnected(() => this.follower.wake());
    await this.follower.start(this.config.events.pollSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.follower.stop();
  }

  @OnEvent(TICKET_EVENTS_APPENDED)
  onEventsAppended(): void {
    this.follower.wake();
  }

  /** Every event committed so far is applied (tests, and reads that must not lag). */
  caughtUp(): Promise<void> {
    return this.follower.caughtUp();
  }
}
