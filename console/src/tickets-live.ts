// Keeping a list of tickets current from the event stream: a workflow update carries the ticket's new
// status, priority, category and assignee, so most changes need no request at all.
import type { Ticket } from './api/client';
import type { LiveEvent } from './live';

const CARRIED = ['status', 'priority', 'category', 'assignee_id', 'decision', 'next_action', 'plan_summary'] as const;

export function applyEvent(ticket: Ticket, event: LiveEvent): Ticket {
  if (event.type !== 'workflow_update') return { ...ticket, updated_at: event.timestamp };
  const next: Record<string, unknown> = { ...ticket, updated_at: event.timestamp };
  for (const field of CARRIED) if (field in event) next[field] = event[field];
  return next as Ticket;
}
