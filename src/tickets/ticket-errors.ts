// Why a command on a ticket refuses, as domain errors (see DomainError): its callers branch on the class.
import { DomainError } from '../common/domain-error';
import type { TicketStatus } from './ticket.enums';

/** The workflow tried to change a ticket that a person closed while it ran: the run ends there. */
export class TicketClosedError extends DomainError {
  readonly code = 'ticket_closed';
  constructor(ticketId: string, readonly ticketStatus: TicketStatus) {
    super(`Ticket ${ticketId} was closed (${ticketStatus}) while its workflow ran`);
  }
}

/** A run segment whose claim was superseded (its lease lapsed and another claim took the run): it must stop, writing nothing. */
export class StaleClaimError extends DomainError {
  readonly code = 'stale_claim';
  constructor(ticketId: string) {
    super(`The run of ticket ${ticketId} was claimed again elsewhere; this execution stops without writing`);
  }
}

/** A requester replied to a ticket resolved longer ago than the reply window: a follow-up request is the way. */
export class ReplyWindowClosedError extends DomainError {
  readonly code = 'reply_window_closed';
  constructor(ticketId: string, windowMs: number) {
    const days = Math.round(windowMs / 86_400_000);
    super(
      `Ticket ${ticketId} was resolved more than ${days} day${days === 1 ? '' : 's'} ago, so a reply no longer reopens it. ` +
        `File a new request with follow_up_of set to ${ticketId}.`,
    );
  }
}
