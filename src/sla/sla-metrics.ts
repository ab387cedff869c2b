// What a ticket's audit trail says about its service levels: the statuses it passed through, and when it
// first got a response — read from the same events the stream shows, so the clock is replayed, never kept.
import { Role } from '../users/role.enum';
import type { StatusChange } from './sla-clock';

export const SLA_METRICS = ['first_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/**
 * What may count as the first response (a policy names the ones that do):
 * - `staff_comment`: a support or admin person's comment the requester can read (not an internal note),
 *   on its own or with a change of the ticket;
 * - `staff_decision`: a support or admin person approves or denies through POST /hil;
 * - `staff_question`: support asks the requester (POST /workflow/{id}/ask);
 * - `assistant_question`: the assistant asks the requester for what is missing;
 * - `assistant_resolution`: the assistant resolves or denies the ticket on its own.
 */
export const FIRST_RESPONSE_KINDS = ['staff_comment', 'staff_decision', 'staff_question', 'assistant_question', 'assistant_resolution'] as const;
export type FirstResponseKind = (typeof FIRST_RESPONSE_KINDS)[number];

/** One row of a ticket's audit trail, with what the SLA needs to know about its actor. */
export interface TrailEvent {
  at: Date;
  type: string;
  /** The actor's role now; null for the system (the workflow) or a removed user. */
  actorRole: Role | null;
  actorId: string | null;
  payload: Record<string, unknown>;
}

/**
 * Where a ticket waits while a major incident has taken it over (escalated, decision `incident`): its clocks
 * pause there. One outage measured forty times breaches forty times and says nothing the incident's own
 * times (detected, opened, resolved) do not; the ticket's clocks run again if support takes it out.
 */
export const WITH_INCIDENT = 'with_incident';

/** The statuses the ticket passed through, oldest first: the one it was filed in, then every move (WITH_INCIDENT while an incident holds it). */
export function statusHistory(trail: readonly TrailEvent[]): StatusChange[] {
  const history: StatusChange[] = [];
  let status: unknown;
  for (const event of trail) {
    if (event.type !== 'workflow_update' || event.payload.change === 'suggestion') continue;
    const moved = event.payload.change === 'created' ? event.payload.status : (event.payload.changes as { status?: { to?: unknown } } | undefined)?.status?.to;
    if (moved !== undefined) status = moved;
    const to = status === 'escalated' && event.payload.decision === 'incident' ? WITH_INCIDENT : status;
    if (typeof to === 'string' && history.at(-1)?.status !== to) history.push({ at: event.at, status: to });
  }
  return history;
}

/** When the ticket first got a response of a kind the policy counts; null if it has not yet. */
export function firstResponseAt(trail: readonly TrailEvent[], requesterId: string, counted: readonly FirstResponseKind[]): Date | null {
  const kinds = new Set(counted);
  for (const event of trail) {
    const kind = responseKind(event, requesterId);
    if (kind && kinds.has(kind)) return event.at;
  }
  return null;
}

function responseKind(event: TrailEvent, requesterId: string): FirstResponseKind | null {
  const byStaff = (event.actorRole === Role.Support || event.actorRole === Role.Admin) && event.actorId !== requesterId;
  const movedTo = (event.payload.changes as { status?: { to?: unknown } } | undefined)?.status?.to;
  if (event.type === 'comment') return byStaff && event.payload.internal !== true ? 'staff_comment' : null;
  if (event.type === 'hil_response') return byStaff && event.payload.kind === 'approval' ? 'staff_decision' : null;
  if (event.type !== 'workflow_update') return null;
  if (byStaff && event.payload.step === 'ask') return 'staff_question';
  // A change by support with a comment for the requester (PATCH /tickets/{id} with `comment`).
  if (byStaff && typeof event.payload.comment === 'string' && event.payload.comment.trim() !== '') return 'staff_comment';
  if (event.actorId === null && movedTo === 'waiting_for_user') return 'assistant_question';
  if (event.actorId === null && (movedTo === 'resolved' || movedTo === 'denied')) return 'assistant_resolution';
  return null;
}
