// Small pieces every screen uses.
import type { ComponentChildren } from 'preact';
import type { Schemas, TicketStatus } from '../api/client';
import { dueText, INCIDENT_STATUS_LABEL, STATUS_LABEL } from '../format';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return <span class={`badge status-${status}`} data-status={status}>{STATUS_LABEL[status] ?? status}</span>;
}

/** A major incident's status; `resolving` while its resolution is still reaching its tickets. */
export function IncidentStatusBadge({ status, resolving = false }: { status: Schemas['IncidentDto']['status']; resolving?: boolean }) {
  return (
    <span class={`badge incident-status-${status}`} data-incident-status={status}>
      {resolving ? 'Resolving…' : INCIDENT_STATUS_LABEL[status]}
    </span>
  );
}

export function Alert({ messages, kind = 'error' }: { messages: string[]; kind?: 'error' | 'info' | 'success' }) {
  if (messages.length === 0) return null;
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {messages.length === 1 ? <p>{messages[0]}</p> : <ul>{messages.map((message) => <li key={message}>{message}</li>)}</ul>}
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  errors?: string[];
  hint?: string;
  required?: boolean;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

/** A labelled form control with its hint and the API's messages for it, tied by aria-describedby. */
export function Field({ id, label, errors = [], hint, required, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${errors.length ? ' invalid' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
      {children(describedBy, errors.length > 0)}
      <FieldProblem id={`${id}-error`} messages={errors} />
    </div>
  );
}

/** The API's messages for one field, under it; its id goes in the field's aria-describedby. */
export function FieldProblem({ id, messages = [] }: { id: string; messages?: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {messages.join('; ')}
    </p>
  );
}

export function LiveIndicator({ state }: { state: 'connecting' | 'live' | 'reconnecting' }) {
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span class={`live live-${state}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="muted" role="status">Loading {what}…</p>;
}

/** A ticket's service levels in a word and its nearest due time (support and admin see them). */
export function SlaBadge({ state, dueAt }: { state?: string | null; dueAt?: string | null }) {
  const text = dueText(dueAt, state);
  if (!state || !text) return null;
  const word = state === 'breached' ? 'Breached' : state === 'at_risk' ? 'At risk' : null;
  return (
    <span class={`badge sla sla-${state}`} data-sla-state={state}>
      {word ? `${word} · ` : ''}
      {text}
    </span>
  );
}
