// The ticket lifecycle in one place: which status may follow which, and what happens next in each.
import { TicketStatus as S } from './ticket.enums';

const ALLOWED: Record<S, readonly S[]> = {
  [S.Pending]: [S.InProgress, S.WaitingForUser, S.WaitingForApproval, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.InProgress]: [S.WaitingForUser, S.WaitingForApproval, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.WaitingForUser]: [S.InProgress, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.WaitingForApproval]: [S.InProgress, S.Resolved, S.Denied, S.Escalated, S.Error],
  // Escalated tickets are worked by people: they may take it up, ask the requester, or close it.
  [S.Escalated]: [S.InProgress, S.WaitingForUser, S.Resolved, S.Denied],
  // A failed run can be retried, handed to people, or closed by hand.
  [S.Error]: [S.InProgress, S.Escalated, S.Resolved, S.Denied],
  // Closed tickets can be reopened by support.
  // A requester's reply reopens a resolved ticket into the support queue (escalated).
  [S.Resolved]: [S.InProgress, S.Escalated],
  [S.Denied]: [S.InProgress],
};

/** Where the automated workflow is done with a ticket (people may still take an escalated one up). */
export const FINAL_STATUSES: readonly S[] = [S.Resolved, S.Denied, S.Escalated];

export function canTransition(from: S, to: S): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedNextStatuses(from: S): readonly S[] {
  return ALLOWED[from];
}

/** The Local IT Support API's `next_action`: what the ticket is waiting for in each status. */
export const NEXT_ACTION: Record<S, string> = {
  [S.Pending]: 'workflow_starting',
  [S.InProgress]: 'workflow_in_progress',
  [S.WaitingForUser]: 'awaiting_requester_input',
  [S.WaitingForApproval]: 'awaiting_approval',
  [S.Resolved]: 'none',
  [S.Denied]: 'none',
  [S.Escalated]: 'support_queue',
  [S.Error]: 'support_review',
};
