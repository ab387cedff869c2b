import { TicketStatus } from '../../tickets/ticket.enums';
import type { TicketDto } from '../../tickets/dto/ticket.dto';

/** The Local IT Support API's answer to POST /request and POST /hil. */
export class WorkflowResponseDto {
  ticket_id: string;
  /** @example "pending" */
  decision: string;
  plan_summary: string | null;
  status: TicketStatus;
  /** @example "workflow_starting" */
  next_action: string;
}

export function mapWorkflowResponse(ticket: TicketDto): WorkflowResponseDto {
  return { ticket_id: ticket.ticket_id, decision: ticket.decision, plan_summary: ticket.plan_summary, status: ticket.status, next_action: ticket.next_action };
}
