// Who is told what, from one committed event of a ticket's trail: pure, so that the rules read in one place
// and are tested without a database. Two rules hold for every kind: nobody is told of their own action, and
// a staff-only event (an internal note, an SLA or approval announcement) never reaches the requester.
import { TicketEventType } from '../tickets/ticket-events';
import { TicketStatus } from '../tickets/ticket.enums';
import { NotificationKind } from './notification-kinds';

/** One event with what the rules need to know about its ticket and people, read once per batch. */
export interface EventInContext {
  eventId: string;
  ticketId: string;
  type: string;
  actorId: string | null;
  actorName: string | null;
  staffOnly: boolean;
  payload: Record<string, unknown>;
  createdAt: Date;
  ticketTitle: string;
  requesterId: string;
  /** Whose ticket it is now (SLA and approval announcements go to them). */
  assigneeId: string | null;
  assigneeName: string | null;
  /** For approval announcements on an assigned ticket: who stands in for the assignee now. */
  delegateIds: string[];
  /** For approval announcements on an unassigned ticket: every active support and admin user (the shared queue). */
  approverPool: string[];
}

export interface NewNotification {
  eventId: string;
  recipientId: string;
  kind: NotificationKind;
  ticketId: string;
  title: string;
  text: string;
  createdAt: Date;
}

type Draft = Pick<NewNotification, 'recipientId' | 'kind' | 'title' | 'text'>;

/** Statuses a requester is told about; the others are steps on the way (in progress, waiting for approval). */
const TOLD_STATUSES: Partial<Record<string, (title: string) => { title: string; text: string }>> = {
  [TicketStatus.Resolved]: (title) => ({ title: 'Request resolved', text: `Your request “${title}” was resolved` }),
  [TicketStatus.Denied]: (title) => ({ title: 'Request denied', text: `Your request “${title}” was denied` }),
  [TicketStatus.Escalated]: (title) => ({ title: 'Handed to a support engineer', text: `Your request “${title}” was handed to a support engineer, who will take it from here` }),
  [TicketStatus.WaitingForUser]: (title) => ({ title: 'We have a question for you', text: `We have a question for you about your request “${title}”` }),
};

const METRIC_NAMES: Record<string, string> = { first_response: 'first response', resolution: 'resolution' };
/** How much of a comment or question a notification quotes. */
const QUOTE_LENGTH = 160;

export function notificationsFor(event: EventInContext): NewNotification[] {
  const drafts = draftsFor(event);
  const seen = new Set<string>();
  return drafts
    .filter((draft) => draft.recipientId !== event.actorId)
    .filter((draft) => !(event.staffOnly && draft.recipientId === event.requesterId))
    .filter((draft) => {
      const key = `${draft.recipientId}/${draft.kind}`;
      return !seen.has(key) && seen.add(key);
    })
    .map((draft) => ({ ...draft, eventId: event.eventId, ticketId: event.ticketId, createdAt: event.createdAt }));
}

function draftsFor(event: EventInContext): Draft[] {
  switch (event.type) {
    case TicketEventType.WorkflowUpdate:
      return fromWorkflowUpdate(event);
    case TicketEventType.Comment:
      return fromComment(event);
    case TicketEventType.HilResponse:
      return fromHumanResponse(event);
    case TicketEventType.ApprovalRequested:
    case TicketEventType.ApprovalReminder:
      return fromApprovalAnnouncement(event);
    case TicketEventType.SlaWarning:
    case TicketEventType.SlaBreached:
      return fromSlaCrossing(event);
    case TicketEventType.IncidentUpdate:
      return fromIncidentUpdate(event);
    default:
      return [];
  }
}

function fromWorkflowUpdate(event: EventInContext): Draft[] {
  const { payload, ticketTitle: title } = event;
  const changes = (payload.changes ?? {}) as Record<string, { from: unknown; to: unknown } | undefined>;
  const drafts: Draft[] = [];
  const newAssignee = changes.assignee_id?.to;
  if (typeof newAssignee === 'string') {
    const text = event.actorName ? `${event.actorName} assigned “${title}” to you` : `“${title}” was assigned to you`;
    drafts.push({ recipientId: newAssignee, kind: NotificationKind.TicketAssigned, title: 'Ticket assigned to you', text });
  }
  if (event.staffOnly) return drafts;
  const status = changes.status?.to;
  const told = typeof status === 'string' ? TOLD_STATUSES[status] : undefined;
  const comment = typeof payload.comment === 'string' ? payload.comment : null;
  // A denial by an approver was told by the approval's decision a moment before.
  if (told && !(status === TicketStatus.Denied && payload.step === 'deny')) {
    const { title: heading, text } = told(title);
    drafts.push({ recipientId: event.requesterId, kind: NotificationKind.StatusChanged, title: heading, text: status === TicketStatus.WaitingForUser && comment ? `${text}: ${quote(comment)}` : text });
  } else if (comment) {
    drafts.push({ recipientId: event.requesterId, kind: NotificationKind.Comment, title: 'New comment on your request', text: `${event.actorName ?? 'Support'} commented on your request “${title}”: ${quote(comment)}` });
  }
  return drafts;
}

function fromComment(event: EventInContext): Draft[] {
  const body = typeof event.payload.body === 'string' ? event.payload.body : '';
  const author = event.actorName ?? 'Someone';
  const drafts: Draft[] = [];
  if (!event.staffOnly) {
    drafts.push({ recipientId: event.requesterId, kind: NotificationKind.Comment, title: 'New comment on your request', text: `${author} commented on your request “${event.ticketTitle}”: ${quote(body)}` });
  }
  if (event.assigneeId && event.assigneeId !== event.requesterId) {
    const what = event.staffOnly ? 'added an internal note on' : 'commented on';
    drafts.push({ recipientId: event.assigneeId, kind: NotificationKind.Comment, title: 'New comment on your ticket', text: `${author} ${what} “${event.ticketTitle}”: ${quote(body)}` });
  }
  return drafts;
}

/** Support's update on the incident the ticket is part of: its requester is told, as of a comment. */
function fromIncidentUpdate(event: EventInContext): Draft[] {
  const message = typeof event.payload.message === 'string' ? event.payload.message : '';
  return [{ recipientId: event.requesterId, kind: NotificationKind.Comment, title: 'Update on the problem you reported', text: `About “${event.ticketTitle}”: ${quote(message)}` }];
}

function fromHumanResponse(event: EventInContext): Draft[] {
  const { payload, ticketTitle: title } = event;
  if (payload.kind === 'approval' && !payload.expired && typeof payload.approval === 'boolean') {
    const decided = payload.approval ? 'approved' : 'denied';
    const who = event.actorName ?? 'An approver';
    return [{ recipientId: event.requesterId, kind: NotificationKind.ApprovalDecision, title: `Request ${decided}`, text: `${who} ${decided} your request “${title}”` }];
  }
  if (payload.kind === 'answer' && event.assigneeId) {
    const answer = typeof payload.answer === 'string' ? `: ${quote(payload.answer)}` : '';
    return [{ recipientId: event.assigneeId, kind: NotificationKind.Comment, title: 'The requester answered', text: `${event.actorName ?? 'The requester'} answered the question on “${title}”${answer}` }];
  }
  return [];
}

/** The assignee and whoever stands in for them; on an unassigned ticket, the shared queue — never the requester. */
function fromApprovalAnnouncement(event: EventInContext): Draft[] {
  const { ticketTitle: title } = event;
  const reminder = event.type === TicketEventType.ApprovalReminder;
  const heading = reminder ? 'Reminder: an approval waits for you' : 'An approval waits for you';
  const again = event.payload.reason === 'plan_changed' ? ' again (its plan changed)' : '';
  const text = reminder ? `An approval still waits for you on “${title}”` : `An approval waits for you${again} on “${title}”`;
  const approvers = event.assigneeId ? [event.assigneeId] : event.approverPool;
  const drafts: Draft[] = approvers.map((recipientId) => ({ recipientId, kind: NotificationKind.ApprovalWaiting, title: heading, text }));
  for (const delegate of event.delegateIds) {
    drafts.push({ recipientId: delegate, kind: NotificationKind.ApprovalWaiting, title: heading, text: `${text}, for ${event.assigneeName ?? 'an approver'}, who delegated their approvals to you` });
  }
  return drafts.filter((draft) => draft.recipientId !== event.requesterId);
}

/** Only the ticket's assignee: an unassigned ticket's clocks are the queue's to watch (it shows them), not every engineer's inbox. */
function fromSlaCrossing(event: EventInContext): Draft[] {
  if (!event.assigneeId) return [];
  const metric = METRIC_NAMES[String(event.payload.metric)] ?? 'service level';
  const title = event.ticketTitle;
  if (event.type === TicketEventType.SlaBreached) {
    return [{ recipientId: event.assigneeId, kind: NotificationKind.SlaBreached, title: 'Service level missed', text: `“${title}” missed its ${metric} target` }];
  }
  const left = typeof event.payload.seconds_left === 'number' ? ` in ${duration(event.payload.seconds_left)}` : ' soon';
  return [{ recipientId: event.assigneeId, kind: NotificationKind.SlaWarning, title: 'Service level at risk', text: `“${title}” will miss its ${metric} target${left}` }];
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_LENGTH ? `“${flat}”` : `“${flat.slice(0, QUOTE_LENGTH - 1).trimEnd()}…”`;
}

/** Seconds as a person says them: "45 minutes", "3 hours", "2 days". */
export function duration(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds < 3600) return plural(Math.max(1, Math.round(seconds / 60)), 'minute');
  if (seconds < 2 * 86400) return plural(Math.round(seconds / 3600), 'hour');
  return plural(Math.round(seconds / 86400), 'day');
}
