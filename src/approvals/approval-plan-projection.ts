// Whether a waiting approval's plan still holds is a projection of the committed trail: after a change of
// a ticket is committed, this projection looks at each ticket the new workflow updates concern and, when
// the plan its open approval request shows has changed (a new priority, say), supersedes the request with
// one for the current plan. Until it has, a decision on the old plan is refused (ApprovalsService.settle).
import { Injectable } from '@nestjs/common';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TrailProjection, ticketsInLockOrder } from '../trail/trail-follower';
import { TrailEntry } from '../trail/trail.repository';
import { ApprovalsService } from './approvals.service';

@Injectable()
export class ApprovalPlanProjection implements TrailProjection {
  readonly name = 'approval plans';
  /** A change of a ticket whose approval request waits (the others have no plan to keep current). */
  readonly concerns = `event.type = '${TicketEventType.WorkflowUpdate}' AND EXISTS (SELECT 1 FROM approvals AS waiting WHERE waiting.ticket_id = event.ticket_id AND waiting.state = 'pending')`;

  constructor(
    private readonly approvals: ApprovalsService,
    private readonly ticketWriter: TicketWriter,
  ) {}

  async apply(entries: TrailEntry[]): Promise<void> {
    for (const ticketId of ticketsInLockOrder(entries)) {
      // The ticket's lock first, as every writer of a ticket takes it: the approval timers may be at it too.
      await this.ticketWriter.lockTicket(ticketId);
      await this.approvals.raiseAgainIfPlanChanged(ticketId);
    }
  }
}
