// Who may settle a request, for every route that can (POST /hil, PATCH /tickets, the workflow's retry and
// ask): one rule, beside the lifecycle's transition table, so that no route is a way around another.
// - Segregation of duties: nobody decides a request they filed — not by approving or denying it, nor by
//   moving its status. On their own ticket, staff are its requester: they comment and answer questions.
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
