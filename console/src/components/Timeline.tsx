// A ticket's events as a readable history: who did what, in order.
import type { TicketEvent } from '../api/client';
import { FOLDED_LABEL, foldClocks, foldedText } from '../timeline-folding';
import { duration, EVENT_LABEL, EXPIRY_LABEL, label, METRIC_LABEL, STATUS_LABEL, when } from '../format';

type Payload = Record<string, unknown>;

/** `staff`: the workflow's step and rule are shown too; a requester reads what happened, in plain words. */
export function Timeline({ events, actorName, staff = false }: { events: TicketEvent[]; actorName: (actorId: string | null, name?: string | null) => string; staff?: boolean }) {
  if (events.length === 0) return <p class="muted">Nothing has happened yet.</p>;
  return (
    <ol class="timeline">
      {foldClocks(events).map(({ event, folded, awaiting, carried }) => (
        <li key={event.id} class={`event event-${event.type}`} data-event-type={event.type} data-folded={folded.length > 1 ? folded.length : undefined}>
          <div class="event-head">
            <span class="event-type">{folded.length > 1 ? FOLDED_LABEL[event.type] : eventLabel(event)}</span>
            <span class="muted"> · {actorName(event.actor_id, event.actor_name)} · <time datetime={event.timestamp}>{when(event.timestamp)}</time></span>
          </div>
          {folded.length > 1 ? (
            <>
              <p>{foldedText(event.type, awaiting, staff)}</p>
              {staff ? (
                <details>
                  <summary>Each clock</summary>
                  <ul>{folded.map((one) => <li key={one.id}>{describe(one.type, one.payload as Payload, staff)}</li>)}</ul>
                </details>
              ) : null}
            </>
          ) : (
            <p class="prewrap">{describe(event.type, event.payload as Payload, staff)}</p>
          )}
          {carried && (carried.payload as Payload & { changes?: Payload }).changes?.status ? <p class="muted small">{describe(carried.type, carried.payload as Payload, staff)}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/** A ticket joining an incident support has not confirmed (staff only) is not yet a known problem. */
function eventLabel(event: TicketEvent): string {
  if (event.type === 'incident_linked' && typeof (event.payload as Payload).message !== 'string') return EVENT_LABEL.incident_proposed;
  return EVENT_LABEL[event.type] ?? label(event.type);
}

function describe(type: string, payload: Payload, staff: boolean): string {
  if (type === 'workflow_update') {
    if (payload.change === 'created') return 'Request filed.';
    const changes = (payload.changes as Record<string, Payload> | undefined) ?? {};
    const to = changes.status;
    const status = to?.to ? `Status → ${STATUS_LABEL[to.to as keyof typeof STATUS_LABEL] ?? String(to.to)}` : otherChanges(changes);
    const step = staff && payload.step ? ` (step: ${label(String(payload.step))}${payload.rule ? `, rule: ${String(payload.rule)}` : ''})` : '';
    return `${status}${step}.`;
  }
  if (type === 'hil_response') {
    if (payload.kind === 'approval' && payload.expired) return `The approval expired: ${String(payload.comments ?? '')}`;
    if (payload.kind === 'approval') return `${payload.approval ? 'Approved' : 'Denied'}${payload.comments ? `: “${String(payload.comments)}”` : '.'}`;
    return `Answered: “${String(payload.answer ?? '')}”`;
  }
  if (type === 'comment') return `${payload.internal ? 'Internal note' : 'Comment'}: “${truncate(String(payload.body ?? ''))}”`;
  if (type === 'error') return String(payload.message ?? payload.error ?? 'The workflow stopped with an error.');
  if (type === 'approval_requested') {
    const due = payload.due_at ? `; expires ${when(String(payload.due_at))}, then ${EXPIRY_LABEL[String(payload.on_expiry)] ?? String(payload.on_expiry)}` : '';
    return `${payload.reason === 'plan_changed' ? 'The plan changed: approval requested again' : 'Approval requested'}${due}.`;
  }
  if (type === 'approval_reminder') return `Reminder ${String(payload.reminder)} of ${String(payload.reminders)}: the approval expires in ${duration(Number(payload.seconds_left))}.`;
  if (type === 'attachment_added') return `Attached “${String(payload.filename)}”.`;
  if (type === 'attachment_removed') return `Removed “${String(payload.filename)}”.`;
  if (type === 'approval_expired') return `The approval expired: ${EXPIRY_LABEL[String(payload.on_expiry)] ?? String(payload.on_expiry)}.`;
  if (type.startsWith('incident_')) return describeIncident(type, payload);
  if (type.startsWith('sla_')) {
    const metric = METRIC_LABEL[String(payload.metric)] ?? String(payload.metric);
    if (type === 'sla_warning') return `${metric}: ${Math.round(Number(payload.threshold) * 100)} % of the target used; ${duration(Number(payload.seconds_left))} left.`;
    if (type === 'sla_breached') return `${metric}: target missed (over by ${duration(Number(payload.seconds_over))}).`;
    if (type === 'sla_paused') return `${metric}: clock paused while a person outside support is awaited.`;
    if (type === 'sla_resumed') return `${metric}: clock running again; ${duration(Number(payload.seconds_left))} left.`;
    if (type === 'sla_met') return `${metric}: target met with ${duration(Number(payload.seconds_left))} to spare.`;
  }
  return '';
}

/**
 * A major incident's step. What the requester is told (the problem is known, an update, the resolution)
 * comes as `message`, in the words they read; the rest is staff bookkeeping.
 */
function describeIncident(type: string, payload: Payload): string {
  if (typeof payload.message === 'string') return payload.message;
  if (type === 'incident_proposed') return `Grouped with alike reports from other people into a possible major incident, “${String(payload.title ?? '')}”; support decides.`;
  if (type === 'incident_linked') return 'Joined a possible major incident that support has not confirmed yet.';
  if (type === 'incident_dismissed') return 'Not a major incident after all: the ticket is handled on its own.';
  if (type === 'incident_unlinked') return 'Taken out of the major incident: the ticket is handled on its own.';
  return '';
}

/** What a change without a new status did: a new owner, priority or category (the names are on the ticket). */
function otherChanges(changes: Record<string, Payload>): string {
  const said = [
    'assignee_id' in changes ? (changes.assignee_id.to ? 'Assigned' : 'Unassigned') : null,
    changes.priority?.to ? `Priority → ${label(String(changes.priority.to))}` : null,
    changes.category?.to ? `Category → ${label(String(changes.category.to))}` : null,
  ].filter(Boolean);
  return said.length ? said.join('; ') : 'Updated';
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
