import { ApiProperty, OmitType } from '@nestjs/swagger';
import { TicketStatus } from '../../tickets/ticket.enums';
import { TicketDto, TicketSuggestionDto } from '../../tickets/dto/ticket.dto';
import type { WorkflowRun } from '../workflow-run.entity';
import { PendingRequest, stepWaitingFor, WorkflowSummary } from '../workflow.types';

export class PendingQuestionDto {
  /** `question` waits for the requester, `approval` for support or an admin. */
  // Spelled out: the compilers disagree on the order of a union's members, and the document must not drift.
  @ApiProperty({ enum: ['question', 'approval'] })
  kind: 'question' | 'approval';
  question: string;
  /** The policy rule that asked it (`support_question` when support asked). @example "software_access" */
  rule: string;
  /** The LangGraph interrupt the response will resume; null for a question from support. */
  interrupt_id: string | null;
  /** `workflow`: the assistant asked; `staff`: support asked with POST /workflow/{ticket_id}/ask. */
  @ApiProperty({ enum: ['workflow', 'staff'] })
  source: 'workflow' | 'staff';
  /** Who asked, for a question from support. */
  asked_by: string | null;
}

export class PolicyRuleDto {
  /** @example "software_access" */
  id: string;
  description: string;
  /** ask_user, approval, resolve or escalate */
  outcome: string;
}

export class TriageDto {
  category: string;
  priority: string;
  missing: string[];
  privileged: boolean;
  reasons: string[];
}

/** The plan the workflow drafted: a suggestion as POST /llm/resolve_ticket gives one. */
export class PlanDto extends OmitType(TicketSuggestionDto, ['suggested_at'] as const) {}

export class HumanResponseDto {
  id: string;
  /** `answer` (to a question) or `approval` */
  @ApiProperty({ enum: ['answer', 'approval'] })
  kind: 'answer' | 'approval';
  answer: string | null;
  approval: boolean | null;
  comments: string | null;
  /** Null when the approval expired and its policy decided (`expiry`). */
  responder_id: string | null;
  responder_employee_id: string | null;
  responded_at: string;
  /** Set when the approval expired: what its policy did (escalate, deny, approve). */
  @ApiProperty({ enum: ['escalate', 'deny', 'approve'], nullable: true, required: false })
  expiry?: 'escalate' | 'deny' | 'approve' | null;
}

/** The workflow of one ticket, as its viewers may follow it. */
export class WorkflowStateDto {
  ticket_id: string;
  status: TicketStatus;
  next_action: string;
  /** queued, running, waiting (for a person) or done; none if the ticket never entered the workflow. */
  run_state: string;
  /** The graph node the run waits in or goes on from (`done` when it ended; `queued` or `none` before it starts). @example "approval" */
  step: string;
  pending: PendingQuestionDto | null;
  decision: string;
  plan_summary: string | null;
  /** The policy rule that fired. */
  rule: PolicyRuleDto | null;
  triage: TriageDto | null;
  plan: PlanDto | null;
  human_responses: HumanResponseDto[];
  updated_at: Date;
}

function mapPending(pending: PendingRequest): PendingQuestionDto {
  return {
    kind: pending.kind,
    question: pending.question,
    rule: pending.rule,
    interrupt_id: pending.source === 'workflow' ? pending.id : null,
    source: pending.source,
    asked_by: pending.asked_by ?? null,
  };
}

export function mapWorkflowState(ticket: TicketDto, run: WorkflowRun | null, summary: WorkflowSummary | null): WorkflowStateDto {
  const runState = run?.state ?? 'none';
  return {
    ticket_id: ticket.ticket_id,
    status: ticket.status,
    next_action: ticket.next_action,
    run_state: runState,
    // What it waits for is the run's own record; the graph's summary tells the rest.
    step: run?.pending ? stepWaitingFor(run.pending.kind) : (summary?.step ?? (runState === 'running' ? 'start' : runState)),
    pending: run?.pending ? mapPending(run.pending) : null,
    decision: ticket.decision,
    plan_summary: ticket.plan_summary,
    rule: summary?.rule ? { id: summary.rule.rule, description: summary.rule.description, outcome: summary.rule.outcome } : null,
    triage: summary?.triage ?? null,
    plan: summary?.plan ?? null,
    human_responses: summary?.human_responses ?? [],
    updated_at: ticket.updated_at,
  };
}
