// Where the workflow's pauses for an approval meet the approvals module, in the same transactions: a pause
// raises an approval request, and a decision (a person's, or an expiry's) first moves that request out of
// `pending` by compare-and-set — the loser of a race gets a 409 and changes nothing. Without the approvals
// module (unit tests) every decision is let through.
import { Injectable } from '@nestjs/common';
import type { HumanResponse, PendingRequest, WorkflowSummary } from './workflow.types';

export interface ApprovalGate {
  /** The run paused for an approval (`pending`): raise its request. */
  requested(ticketId: string, pending: PendingRequest, summary: WorkflowSummary | null): Promise<void>;
  /** Settles the open request `response` decides, or throws a ConflictException (decided, expired, or its plan changed). */
  settle(ticketId: string, response: HumanResponse, planHash: string | undefined): Promise<void>;
}

@Injectable()
export class ApprovalGates implements ApprovalGate {
  private gate?: ApprovalGate;

  use(gate: ApprovalGate): void {
    this.gate = gate;
  }

  async requested(ticketId: string, pending: PendingRequest, summary: WorkflowSummary | null): Promise<void> {
    await this.gate?.requested(ticketId, pending, summary);
  }

  async settle(ticketId: string, response: HumanResponse, planHash: string | undefined): Promise<void> {
    await this.gate?.settle(ticketId, response, planHash);
  }
}
