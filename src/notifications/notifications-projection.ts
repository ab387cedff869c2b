// Notifications are a projection of the committed trail: after a change is committed, the trail's
// projections (src/projections) hand this one the events that may tell someone something; it reads them
// once with their tickets and people, applies the rules (notification-rules.ts), and creates what is new
// in one statement — muted kinds skipped, and nothing twice: a notification is unique per (event,
// recipient, kind), so a batch applied again (a crash before the checkpoint moved) creates nothing more.
// The shared checkpoint is worked by one instance at a time, so each notification is created once.
import { Injectable } from '@nestjs/common';
import { TicketEventType } from '../tickets/ticket-events';
import { TrailProjection } from '../trail/trail-follower';
import { TrailEntry } from '../trail/trail.repository';
import { NotificationFeed } from './notification-feed';
import { notificationsFor } from './notification-rules';
import { NotificationsRepository } from './notifications.repository';

const TOLD_OF = [
  TicketEventType.Comment,
  TicketEventType.HilResponse,
  TicketEventType.SlaWarning,
  TicketEventType.SlaBreached,
  TicketEventType.ApprovalRequested,
  TicketEventType.ApprovalReminder,
  TicketEventType.IncidentUpdate,
];

@Injectable()
export class NotificationsProjection implements TrailProjection {
  readonly name = 'notifications';
  /** The events the rules can tell someone of; a workflow_update only when it assigns, changes the status or says something. */
  readonly concerns =
    `event.type IN (${TOLD_OF.map((type) => `'${type}'`).join(', ')}) OR ` +
    `(event.type = '${TicketEventType.WorkflowUpdate}' AND (event.payload ? 'comment' OR event.payload->'changes' ?| ARRAY['status', 'assignee_id']))`;

  constructor(
    private readonly notificationsRepository: NotificationsRepository,
    private readonly feed: NotificationFeed,
  ) {}

  async apply(entries: TrailEntry[]): Promise<void> {
    const events = await this.notificationsRepository.findEventsInContext(entries.map((entry) => entry.id));
    const created = await this.notificationsRepository.insertNew(events.flatMap(notificationsFor));
    this.feed.publishAfterCommit(created);
  }
}
