// What an approver is asked to approve, and its fingerprint. An approval binds to the plan it was given
// for: the plan's text and steps, and the facts of the ticket it rests on. A change of any of them while
// the approval waits (support re-prioritises the ticket, say) makes it a different plan.
import { createHash } from 'node:crypto';
import type { TicketDto } from '../tickets/dto/ticket.dto';

export interface ApprovalPlan {
  summary: string;
  steps: string[];
  request_type: string;
  priority: string;
  business_justification: string | null;
}

export function approvalPlan(ticket: TicketDto, steps: readonly string[]): ApprovalPlan {
  return {
    summary: ticket.plan_summary ?? ticket.title,
    steps: [...steps],
    request_type: ticket.request_type,
    priority: ticket.priority,
    business_justification: ticket.business_justification ?? null,
  };
}

/** SHA-256 of the plan's fields in a fixed order (hex): equal plans, equal hashes. */
export function planHash(plan: ApprovalPlan): string {
  const canonical = JSON.stringify([plan.summary, plan.steps, plan.request_type, plan.priority, plan.business_justification]);
  return createHash('sha256').update(canonical).digest('hex');
}
