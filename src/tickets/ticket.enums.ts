/** The Local IT Support API's workflow states, exactly. */
export enum TicketStatus {
  Pending = 'pending',
  InProgress = 'in_progress',
  WaitingForUser = 'waiting_for_user',
  WaitingForApproval = 'waiting_for_approval',
  Resolved = 'resolved',
  Denied = 'denied',
  Escalated = 'escalated',
  Error = 'error',
}

export enum TicketPriority {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
  Critical = 'critical',
}

export enum TicketUrgency {
  Low = 'low',
  Normal = 'normal',
  Urgent = 'urgent',
}

export enum RequestType {
  SoftwareAccess = 'software_access',
  Hardware = 'hardware',
  Network = 'network',
  AccountAccess = 'account_access',
  PasswordReset = 'password_reset',
  /** A how-to question ("how do I…"): the commonest kind of request, answered from the knowledge base. */
  Question = 'question',
  Other = 'other',
}

export enum TicketCategory {
  Access = 'access',
  Account = 'account',
  Hardware = 'hardware',
  Software = 'software',
  Network = 'network',
  Email = 'email',
  Security = 'security',
  Other = 'other',
}

/** Until triage or support says otherwise, the category follows from what was asked for. */
export const DEFAULT_CATEGORY: Record<RequestType, TicketCategory> = {
  [RequestType.SoftwareAccess]: TicketCategory.Access,
  [RequestType.AccountAccess]: TicketCategory.Access,
  [RequestType.PasswordReset]: TicketCategory.Account,
  [RequestType.Hardware]: TicketCategory.Hardware,
  [RequestType.Network]: TicketCategory.Network,
  // Triage reads the question's words for its category.
  [RequestType.Question]: TicketCategory.Other,
  [RequestType.Other]: TicketCategory.Other,
};
