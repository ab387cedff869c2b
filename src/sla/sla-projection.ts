// A ticket's service levels are a projection of its committed trail: after a change is committed, the
// trail's projections (src/projections) hand this one the events that concern it, and it re-derives the
// clocks of each ticket they concern — once per ticket per batch, however many events it had — stores them
// for the queue, announces each crossing once, and keeps the timers that can fire next. The write itself
// records what happened and nothing else; GET /tickets/{id}/sla counts on read, so it never shows a state
// older than the ticket's last change.
import { Injectable } from '@nestjs/common';
import { TicketEventType } from '../tickets/ticket-events';
import { TrailProjection, ticketsInLockOrder } from '../trail/trail-follower';
import { TrailEntry } from '../trail/trail.repository';
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
export class SlaProjection implements TrailProjection {
  readonly name = 'SLA clocks';
  readonly concerns = `event.type NOT IN (${CHANGES_NO_CLOCK.map((type) => `'${type}'`).join(', ')})`;

  constructor(private readonly evaluator: SlaEvaluator) {}

  async apply(entries: TrailEntry[]): Promise<void> {
    for (const ticketId of ticketsInLockOrder(entries)) await this.evaluator.evaluate(ticketId);
  }
}
