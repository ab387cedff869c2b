// Who may settle a request, for every route that can (POST /hil, PATCH /tickets, the workflow's retry and
// ask): one rule, beside the lifecycle's transition table, so that no route is a way around another.
// - Segregation of duties: nobody decides a request they filed — not by approving or denying it, nor by
//   moving its status. On their own ticket, staff are its requester: they comment and answer questions.
// - While the workflow holds a ticket (its run queued, running or waiting), the statuses it sets are its
//   own: a person closes the ticket, or answers through POST /hil, but does not move it into or between them.
// - A request an approver denied becomes resolved only through a new approval by someone else: the
//   workflow's retry plans it again and asks; a status move to `resolved` is refused while the ticket's
//   last approval decision is a denial.
import { ConflictException, ForbiddenException } from '@nestjs/common';
import { TicketStatus } from './ticket.enums';

/** What a decision is about: the request's filer, and whether its last approval decision was a denial. */
export interface DecidedTicket {
  id: string;
  requesterId: string;
}

export type SettlingAction = 'approve or deny' | 'change the status of' | 'retry the workflow of' | 'ask the requester on';

/** 403 when the actor filed the ticket: a person never settles their own request. */
export function assertNotOwnRequest(ticket: DecidedTicket, actorId: string, action: SettlingAction): void {
  if (ticket.requesterId !== actorId) return;
  throw new ForbiddenException(
    `You filed this ticket, so you may not ${action} your own request (segregation of duties): another support engineer or an admin decides it; you can comment on it`,
  );
}

/** 409 for a person's move to `resolved` while the ticket's last approval decision is a denial. */
export function assertResolvableByHand(ticket: DecidedTicket, to: TicketStatus, lastApprovalDenied: boolean): void {
  if (to !== TicketStatus.Resolved || !lastApprovalDenied) return;
  throw new ConflictException(
    `This request was denied by an approver; it can only be resolved through a new approval by someone else: POST /api/v1/workflow/${ticket.id}/retry plans it again and asks for one`,
  );
}

/** Where the ticket's run stands, read with the ticket's lock in the same statement (null: it has none). */
export interface WorkflowHold {
  state: 'queued' | 'running' | 'waiting' | 'done' | 'failed' | string;
  /** What a waiting run waits for. */
  pendingKind: 'approval' | 'answer' | string | null;
}

const HELD: ReadonlyArray<WorkflowHold['state']> = ['queued', 'running', 'waiting'];

/**
 * 409 for a person's move into a status only the workflow sets (asking the requester, asking for approval),
 * and into `in_progress`, `error` or `pending` while the workflow holds the ticket — naming what to use instead.
 */
export function assertWorkflowStatusesKept(ticketId: string, to: TicketStatus, hold: WorkflowHold | null): void {
  if (to === TicketStatus.WaitingForUser) {
    throw new ConflictException(`To ask the requester, use POST /api/v1/workflow/${ticketId}/ask: their answer through POST /hil then reaches the assistant`);
  }
  if (to === TicketStatus.WaitingForApproval) {
    throw new ConflictException(`Only the workflow asks for approval; POST /api/v1/workflow/${ticketId}/retry lets it decide again`);
  }
  if (to !== TicketStatus.InProgress && to !== TicketStatus.Error && to !== TicketStatus.Pending) return;
  if (!hold || !HELD.includes(hold.state)) return;
  const what = hold.pendingKind
    ? `it waits for ${hold.pendingKind === 'approval' ? 'an approval' : 'the requester'}: answer with POST /api/v1/hil/${ticketId}`
    : `it is ${hold.state}: wait for it to pause`;
  throw new ConflictException(`The workflow holds this ticket, so its status is the workflow's to set (${what}), or close it (resolved, denied, escalated)`);
}
