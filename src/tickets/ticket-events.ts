// Names shared by the modules that write ticket events and those that react to them.

/** Event types as the live stream (the Local IT Support API) names them; stored in ticket_events.type. */
export enum TicketEventType {
  WorkflowUpdate = 'workflow_update',
  HilResponse = 'hil_response',
  Comment = 'comment',
  Error = 'error',
  // Service levels (staff only): each with its metric, due time and time left or over.
  SlaWarning = 'sla_warning',
  SlaBreached = 'sla_breached',
  SlaPaused = 'sla_paused',
  SlaResumed = 'sla_resumed',
  SlaMet = 'sla_met',
  // Approvals (staff only): a request raised (or raised again for a changed plan), a reminder, an expiry.
  ApprovalRequested = 'approval_requested',
  ApprovalReminder = 'approval_reminder',
  ApprovalExpired = 'approval_expired',
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
