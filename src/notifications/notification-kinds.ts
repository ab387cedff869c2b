// What a person can be told, and to whom each kind applies: the kinds are what preferences switch on and off.
import { Role } from '../users/role.enum';

export enum NotificationKind {
  /** Staff: a ticket was assigned to you by someone else. */
  TicketAssigned = 'ticket_assigned',
  /** Staff: an approval waits for you (or for whom you stand in), or a reminder of it. */
  ApprovalWaiting = 'approval_waiting',
  /** Staff: a service-level warning on a ticket assigned to you. */
  SlaWarning = 'sla_warning',
  /** Staff: a service level was missed on a ticket assigned to you. */
  SlaBreached = 'sla_breached',
  /** Requester: your request was resolved, denied, handed to an engineer, or we have a question. */
  StatusChanged = 'status_changed',
  /** A comment by someone else: on your request (public ones only), or on a ticket assigned to you. */
  Comment = 'comment',
  /** Requester: an approver decided on your request. */
  ApprovalDecision = 'approval_decision',
}

const REQUESTER_KINDS = [NotificationKind.StatusChanged, NotificationKind.Comment, NotificationKind.ApprovalDecision];

/** What each kind is, in the words the preferences screen shows. */
export const KIND_DESCRIPTIONS: Record<NotificationKind, string> = {
  [NotificationKind.TicketAssigned]: 'A ticket is assigned to you',
  [NotificationKind.ApprovalWaiting]: 'An approval waits for you (or for someone you stand in for)',
  [NotificationKind.SlaWarning]: 'A ticket assigned to you is close to missing a service level',
  [NotificationKind.SlaBreached]: 'A ticket assigned to you missed a service level',
  [NotificationKind.StatusChanged]: 'Your request is resolved, denied, handed to an engineer, or waits for your answer',
  [NotificationKind.Comment]: 'Someone comments on your request or on a ticket assigned to you',
  [NotificationKind.ApprovalDecision]: 'An approver decides on your request',
};

/** The kinds that can reach a user of this role: requesters hear about their requests; staff also about their work. */
export function kindsFor(role: Role): NotificationKind[] {
  return role === Role.User ? REQUESTER_KINDS : Object.values(NotificationKind);
}
