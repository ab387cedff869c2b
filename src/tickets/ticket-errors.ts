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
