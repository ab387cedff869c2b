import { ApiPropertyOptional } from '@nestjs/swagger';
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
  created_at: Date;
  updated_at: Date;
}
