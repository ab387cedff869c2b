// Who sees what of a ticket, decided here and nowhere else. The requester sees their ticket and what the
// assistant wrote for them; support and admin see that too, and what was written for staff: the AI
// suggestion (POST /llm/resolve_ticket) and a failure's internal detail. Events carry the same decision in
// their staff_only flag, which the audit trail and both streams filter on.
import type { AuthUser } from '../auth/auth-user';
import { STAFF_ROLES } from '../users/role.enum';
import type { User } from '../users/user.entity';
import { TicketDto } from './dto/ticket.dto';
import { TicketEventType } from './ticket-events';
import { TicketSuggestion } from './ticket-suggestion';
import { Ticket } from './ticket.entity';

export type Viewer = Pick<AuthUser, 'id' | 'role' | 'employeeId'>;

/** Who a text is written for, and who may read it: what the requester may read, staff may read too. */
export type TicketAudience = 'requester' | 'staff';

export function isStaff(viewer: Pick<Viewer, 'role'>): boolean {
  return STAFF_ROLES.includes(viewer.role);
}

export function audienceOf(viewer: Pick<Viewer, 'role'>): TicketAudience {
  return isStaff(viewer) ? 'staff' : 'requester';
}

/** A ticket as this viewer may see it: every route that returns a ticket to a person maps it here. */
export function mapTicketFor(viewer: Pick<Viewer, 'role'>, ticket: Ticket): TicketDto {
  return audienceOf(viewer) === 'staff' ? toStaffView(ticket) : toRequesterView(ticket);
}

/** Support, admin and the system itself: every field, the suggestion and the service levels included (null until there are any). */
export function toStaffView(ticket: Ticket): TicketDto {
  return {
    ...toRequesterView(ticket),
    ...peopleOf(ticket, 'staff'),
    incident_id: ticket.incidentId ?? null,
    suggestion: ticket.suggestion,
    sla_state: ticket.slaState ?? null,
    sla_due_at: ticket.slaDueAt ?? null,
  };
}

/** A person's name as this audience reads it: a requester knows support by first name. */
export function nameFor(audience: TicketAudience, person: Pick<User, 'fullName' | 'role'>): string {
  return audience === 'requester' && STAFF_ROLES.includes(person.role) ? firstName(person.fullName) : person.fullName;
}

/** The first word of a full name ("Ada Lovelace" → "Ada"): how a requester knows support, and a canned reply's greeting. */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}

/** The ticket's requester and assignee for this audience, when the read that found the ticket joined them. */
function peopleOf(ticket: Ticket, audience: TicketAudience): Pick<TicketDto, 'requester' | 'assignee'> {
  const { requester, assignee } = ticket;
  if (!requester) return {};
  if (audience === 'requester') {
    return {
      requester: { user_id: requester.id, name: requester.fullName },
      assignee: assignee ? { user_id: assignee.id, name: nameFor(audience, assignee) } : null,
    };
  }
  return {
    requester: { user_id: requester.id, name: requester.fullName, email: requester.email, employee_id: requester.employeeId, department: requester.department ?? null },
    assignee: assignee ? { user_id: assignee.id, name: assignee.fullName, email: assignee.email } : null,
  };
}

/** The requester: no `suggestion` field at all, since it is written for the support engineer. */
export function toRequesterView(ticket: Ticket): TicketDto {
  return {
    ticket_id: ticket.id,
    title: ticket.title,
    description: ticket.description,
    request_type: ticket.requestType,
    category: ticket.category,
    priority: ticket.priority,
    urgency: ticket.urgency,
    business_justification: ticket.businessJustification,
    desired_completion_date: ticket.desiredCompletionDate,
    status: ticket.status,
    decision: ticket.decision,
    plan_summary: ticket.planSummary,
    resolution: ticket.resolution,
    next_action: ticket.nextAction,
    follow_up_of: ticket.followUpOf ?? null,
    // A proposed grouping is support's to decide: the requester learns of the incident once it took the ticket over.
    incident_id: ticket.decision === 'incident' ? (ticket.incidentId ?? null) : null,
    requester_id: ticket.requesterId,
    employee_id: ticket.employeeId,
    assignee_id: ticket.assigneeId,
    ...peopleOf(ticket, 'requester'),
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
  };
}

/** An event as it is appended, with the audience decided: staff-only events never reach the requester. */
export interface AudienceEvent {
  type: TicketEventType;
  staffOnly: boolean;
  payload: Record<string, unknown>;
}

/** What the requester is told when the assistant fails, whatever went wrong. */
export const REQUESTER_FAILURE_MESSAGE = 'The assistant could not finish this request; a member of the support team will take it over.';
/** Enough of a failure's detail to act on; provider errors can be long. */
const MAX_DETAIL_CHARS = 2000;

/**
 * A failed workflow run, told to each audience: the detail (a model's or the database's message, an
 * internal assertion) for staff, marked `internal` as internal notes are; then the plain message for everybody.
 */
export function failureEvents(detail: string): AudienceEvent[] {
  return [
    { type: TicketEventType.Error, staffOnly: true, payload: { message: detail.slice(0, MAX_DETAIL_CHARS), internal: true } },
    { type: TicketEventType.Error, staffOnly: false, payload: { message: REQUESTER_FAILURE_MESSAGE } },
  ];
}

/** The AI suggestion is written for the support engineer: its workflow_update is staff-only, as the field is. */
export function suggestionEvent(snapshot: Record<string, unknown>, suggestion: TicketSuggestion): AudienceEvent {
  return { type: TicketEventType.WorkflowUpdate, staffOnly: true, payload: { ...snapshot, change: 'suggestion', suggestion: { ...suggestion } } };
}
