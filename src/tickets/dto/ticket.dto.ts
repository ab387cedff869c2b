import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from '../ticket.enums';
import { Ticket } from '../ticket.entity';

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
  /** The latest AI suggestion (POST /llm/resolve_ticket), if any. */
  suggestion: TicketSuggestionDto | null;
  requester_id: string;
  /** The requester's employee id. @example "EMP001" */
  employee_id: string;
  assignee_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export function mapTicket(ticket: Ticket): TicketDto {
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
    suggestion: ticket.suggestion,
    requester_id: ticket.requesterId,
    employee_id: ticket.employeeId,
    assignee_id: ticket.assigneeId,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
  };
}
