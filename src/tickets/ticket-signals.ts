// In-process signals (@nestjs/event-emitter) about tickets, emitted after the transaction that caused them
// commits: what this instance's listeners (the event pump, the projections, the workflow, the search index)
// wake on. Not to be confused with a ticket's trail (ticket-events.ts), which is what they then read.
export const TICKET_EVENTS_APPENDED = 'ticket.events-appended';
export const TICKET_CREATED = 'ticket.created';
export const TICKET_UPDATED = 'ticket.updated';

/** What a ticket says about itself, as its commit wrote it (what the search index embeds). */
export interface TicketText {
  title: string;
  description: string;
  resolution: string | null;
}

export interface TicketCreatedSignal {
  ticketId: string;
  text: TicketText;
}

export interface TicketUpdatedSignal {
  ticketId: string;
  status: string;
  /** Who changed it; null for the system (the workflow). */
  actorId: string | null;
  /** The decision the change left (`incident`: a major incident took the ticket over, whoever linked it). */
  decision: string;
  text: TicketText;
}
