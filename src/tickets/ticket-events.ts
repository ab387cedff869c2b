// The types of the events on a ticket's trail (ticket_events): what the live streams and the projections read.

/** Event types as the live stream (the Local IT Support API) names them; stored in ticket_events.type. */
export enum TicketEventType {
  WorkflowUpdate = 'workflow_update',
  HilResponse = 'hil_response',
  Comment = 'comment',
  Error = 'error',
  // A file attached to the ticket, or removed from it (everybody who sees the ticket sees its files).
  AttachmentAdded = 'attachment_added',
  AttachmentRemoved = 'attachment_removed',
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
  // Major incidents. Staff only: proposed (with why), dismissed, unlinked. For the requester too, in plain
  // words and never naming anyone else: opened or linked (the problem is known), an update, the resolution.
  IncidentProposed = 'incident_proposed',
  IncidentDismissed = 'incident_dismissed',
  IncidentUnlinked = 'incident_unlinked',
  IncidentOpened = 'incident_opened',
  IncidentLinked = 'incident_linked',
  IncidentUpdate = 'incident_update',
  IncidentResolved = 'incident_resolved',
}
