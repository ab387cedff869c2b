import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TICKET_SLA_STATES, type TicketSlaState } from '../ticket.entity';
import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from '../ticket.enums';

export class CitationDto {
  document_id: string;
  chunk_id: string;
  title: string;
}

export class TicketSuggestionDto {
  summary: string;
  steps: string[];
  citations: CitationDto[];
  /** 0 to 1. */
  confidence: number;
  /** @example "offline" */
  provider: string;
  suggested_at: string;
}

/**
 * A person on a ticket, as the viewer may see them: staff read names in full with how to reach the person;
 * a requester reads support's first names only (and their own name).
 */
export class TicketPersonDto {
  user_id: string;
  /** @example "Sam Support" */
  name: string;
  /** Support and admin only. */
  email?: string;
  /** Support and admin only; the requester's. @example "EMP001" */
  employee_id?: string;
  /** Support and admin only; the requester's, when they gave one. @example "Finance" */
  department?: string | null;
}

/** A ticket as its viewer may see it: the requester's view has no `suggestion`. */
export class TicketDto {
  ticket_id: string;
  /** @example "Request for Admin Access" */
  title: string;
  /** @example "Need admin access to database" */
  description: string;
  request_type: RequestType;
  category: TicketCategory;
  priority: TicketPriority;
  urgency: TicketUrgency;
  business_justification: string | null;
  desired_completion_date: Date | null;
  status: TicketStatus;
  /** @example "pending" */
  decision: string;
  plan_summary: string | null;
  resolution: string | null;
  /** @example "workflow_starting" */
  next_action: string;
  /** The earlier request this one follows up, if any. */
  follow_up_of: string | null;
  /**
   * The major incident this request is part of, if any: support works the outage once there, and its updates
   * and resolution reach this ticket. A requester sees it only while an open incident holds their ticket (never
   * a proposal support has not decided on), and the id only: GET /api/v1/incidents is for support.
   */
  incident_id: string | null;
  /**
   * A resolved ticket: until when a reply from its requester reopens it (REOPEN_ON_REPLY_DAYS after it was
   * resolved); after that a reply is refused and a follow-up request (`follow_up_of`) is the way. Null otherwise.
   */
  reply_reopens_until?: Date | null;
  /**
   * Support and admin only: the latest AI suggestion (POST /llm/resolve_ticket), null until there is one.
   * Absent when the requester reads their ticket: it is written for the support engineer.
   */
  suggestion?: TicketSuggestionDto | null;
  /**
   * Support and admin only: the service levels in one word — `on_track`, `at_risk` (a warning fired),
   * `breached`, `paused` (a person outside support is awaited), `met`, or `unknown` (the default policy
   * cannot count them; GET /tickets/{id}/sla says why); null before the first evaluation.
   */
  @ApiPropertyOptional({ enum: TICKET_SLA_STATES, nullable: true })
  sla_state?: TicketSlaState | null;
  /** Support and admin only: the nearest due time of an open SLA clock — past for a breached one (GET /tickets/{id}/sla has them all). */
  sla_due_at?: Date | null;
  requester_id: string;
  /** The requester's employee id. @example "EMP001" */
  employee_id: string;
  assignee_id: string | null;
  /** Who asked (always present in API responses; the system's own reads may leave it out). */
  @ApiProperty({ type: TicketPersonDto, required: true })
  requester?: TicketPersonDto;
  /** Who owns it; null when nobody does (present in API responses, as `requester` is). */
  @ApiProperty({ type: TicketPersonDto, nullable: true, required: true })
  assignee?: TicketPersonDto | null;
  created_at: Date;
  updated_at: Date;
}
