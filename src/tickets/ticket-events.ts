// Names shared by the modules that write ticket events and those that react to them.

/** Event types as the live stream (the Local IT Support API) names them; stored in ticket_events.type. */
export enum TicketEventType {
  WorkflowUpdate = 'workflow_update',
  HilResponse = 'hil_response',
  Comment = 'comment',
  Error = 'error',
}

/** In-process signals (@nestjs/event-emitter), emitted after the transaction that caused them commits. */
export const TICKET_EVENTS_APPENDED = 'ticket.events-appended';
export const TICKET_CREATED = 'ticket.created';
export const TICKET_UPDATED = 'ticket.updated';

export interface TicketCreatedSignal {
  ticketId: string;
}

export interface TicketUpdatedSignal {
  ticketId: string;
  status: string;
  /** Who changed it; null for the system (the workflow). */
  actorId: string | null;
}
