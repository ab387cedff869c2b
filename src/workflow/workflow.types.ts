// The shapes the workflow keeps in its graph state and run records (all plain JSON, as checkpoints store them).
import type { TriageResult } from '../models/triage-model';
import type { TicketSuggestion } from '../tickets/ticket-suggestion';

/** What a person sent to POST /hil, as the graph receives it when it resumes. */
export interface HumanResponse {
  /** Unique per response: a response is applied to the graph once, even if its run is retried. */
  id: string;
  /** The pending request it answers (PendingRequest.id). */
  pending_id: string;
  /** `staff`: it answers a question from support, which re-enters the graph at the requester's answer. */
  source: 'workflow' | 'staff';
  kind: 'answer' | 'approval';
  answer: string | null;
  approval: boolean | null;
  comments: string | null;
  /** Null when nobody decided: the approval expired and its policy decided (`expiry`). */
  responder_id: string | null;
  responder_employee_id: string | null;
  /** The responder's name as the requester reads it ("Approved by Sam Support"); absent in responses stored before it was kept. */
  responder_name?: string | null;
  responded_at: string;
  /** Set when the approval expired: what the policy does then (the graph escalates, denies or approves). */
  expiry?: 'escalate' | 'deny' | 'approve' | null;
}

export type Outcome = 'ask_user' | 'approval' | 'resolve' | 'escalate';

/** What the policy decided and which of its rules fired. */
export interface PolicyDecision {
  outcome: Outcome;
  rule: string;
  description: string;
}

/** The question a paused run waits on: for the requester, or for an approver. */
export interface PendingQuestion {
  kind: 'question' | 'approval';
  question: string;
  rule: string;
}

/** The graph node a run waits in for this kind of request (GET /workflow's `step`). */
export function stepWaitingFor(kind: PendingQuestion['kind']): 'approval' | 'ask_user' {
  return kind === 'approval' ? 'approval' : 'ask_user';
}

/** What a waiting run waits for, as the run row keeps it: POST /hil is accepted against this. */
export interface PendingRequest extends PendingQuestion {
  /** The LangGraph interrupt id for the workflow's own pauses; a fresh id for a question from support. */
  id: string;
  /** `workflow`: the graph paused itself (an interrupt); `staff`: support asked on a ticket the graph had left. */
  source: 'workflow' | 'staff';
  asked_by?: string | null;
}

/** A readable account of a run: what GET /workflow shows. */
export interface WorkflowSummary {
  step: string;
  pending: (PendingQuestion & { interrupt_id: string | null }) | null;
  rule: PolicyDecision | null;
  triage: TriageResult | null;
  plan: Pick<TicketSuggestion, 'summary' | 'steps' | 'confidence' | 'citations' | 'provider'> | null;
  human_responses: HumanResponse[];
  closed: { status: string; actor_id: string | null; at: string } | null;
}
