// Words and times as people read them.
import type { Schemas, TicketStatus } from './api/client';

export const STATUS_LABEL: Record<TicketStatus, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  waiting_for_user: 'Waiting for the requester',
  waiting_for_approval: 'Waiting for approval',
  resolved: 'Resolved',
  denied: 'Denied',
  escalated: 'Escalated',
  error: 'Error',
};

export const INCIDENT_STATUS_LABEL: Record<Schemas['IncidentDto']['status'], string> = {
  proposed: 'Proposed',
  open: 'Open',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};

export const REQUEST_TYPE_LABEL: Record<string, string> = {
  software_access: 'Software access',
  hardware: 'Hardware',
  network: 'Network',
  account_access: 'Account access',
  password_reset: 'Password reset',
  question: 'Question (how do I…?)',
  other: 'Other',
};

export const EVENT_LABEL: Record<string, string> = {
  workflow_update: 'Workflow',
  hil_response: 'Human decision',
  comment: 'Comment',
  error: 'Error',
  sla_warning: 'SLA warning',
  sla_breached: 'SLA breached',
  sla_paused: 'SLA paused',
  sla_resumed: 'SLA resumed',
  sla_met: 'SLA met',
  approval_requested: 'Approval requested',
  approval_reminder: 'Approval reminder',
  approval_expired: 'Approval expired',
  attachment_added: 'File attached',
  attachment_removed: 'File removed',
  incident_proposed: 'Possible major incident',
  incident_dismissed: 'Incident dismissed',
  incident_unlinked: 'Taken out of the incident',
  incident_opened: 'Known problem',
  incident_linked: 'Known problem',
  incident_update: 'Update on the problem',
  incident_resolved: 'Problem fixed',
};

/** "812 B", "14.2 kB", "3.1 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What happens when nobody decides an approval in time. */
export const EXPIRY_LABEL: Record<string, string> = { escalate: 'it goes to the support queue', deny: 'it is denied', approve: 'it is approved (low-risk)' };

export const METRIC_LABEL: Record<string, string> = { first_response: 'First response', resolution: 'Resolution' };

/** "due in 3 h", "over by 20 min" — how a service-level due time reads in a list. */
export function dueText(dueAt: string | null | undefined, state: string | null | undefined): string | null {
  if (state === 'met') return 'SLA met';
  if (state === 'paused') return 'SLA paused';
  if (!dueAt) return null;
  const seconds = (Date.parse(dueAt) - Date.now()) / 1000;
  return seconds >= 0 ? `due in ${duration(seconds)}` : `over by ${duration(-seconds)}`;
}

export function label(value: string | null | undefined): string {
  if (!value) return '—';
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "3 min", "2 h 5 min", "4 days" — for ages and durations. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

export function ago(iso: string): string {
  return `${duration((Date.now() - Date.parse(iso)) / 1000)} ago`;
}

/** "1 passage", "3 passages". */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
