// The timeline's folding of moments that write several events at once: the SLA clocks (first response and
// resolution) pause and resume together, and a major incident's step on a ticket (known problem, fixed)
// comes with the status change it made; a person reads each as one thing that happened.
import type { TicketEvent } from './api/client';

type Payload = Record<string, unknown>;

/** The SLA clocks pause and resume together (first response and resolution): one line for each such moment. */
const FOLDABLE = new Set(['sla_paused', 'sla_resumed']);
export const FOLDED_LABEL: Record<string, string> = { sla_paused: 'Clocks paused', sla_resumed: 'Clocks running' };
/** Events of one pause or resumption are written together; a minute apart they are separate moments. */
const SAME_MOMENT_MS = 60_000;
/** Whom the clocks wait for while a major incident holds the ticket (escalated, decision `incident`). */
const WITH_INCIDENT = 'with_incident';

export interface TimelineEntry {
  event: TicketEvent;
  folded: TicketEvent[];
  /** The ticket's status when it happened: whom the clocks wait for. */
  awaiting: string | null;
  /** An incident's step: the workflow_update written with it, whose status change (if any) is shown under it. */
  carried?: TicketEvent;
}

export function foldClocks(events: TicketEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let status: string | null = null;
  for (const event of events) {
    const payload = event.payload as Payload;
    const to = (payload.changes as Payload | undefined)?.status as Payload | undefined;
    if (event.type === 'workflow_update' && payload.decision === 'incident' && payload.status === 'escalated') status = WITH_INCIDENT;
    else if (event.type === 'workflow_update' && to?.to) status = String(to.to);
    const last = entries.at(-1);
    const sameMoment = last && Math.abs(Date.parse(event.timestamp) - Date.parse(last.event.timestamp)) < SAME_MOMENT_MS;
    if (FOLDABLE.has(event.type) && last?.event.type === event.type && sameMoment) last.folded.push(event);
    else if (event.type === 'workflow_update' && payload.step === 'incident' && last?.event.type.startsWith('incident_') && !last.carried && sameMoment) last.carried = event;
    else entries.push({ event, folded: [event], awaiting: status });
  }
  return entries;
}

export function foldedText(type: string, awaiting: string | null, staff: boolean): string {
  if (type === 'sla_resumed') return 'Clocks running again.';
  if (awaiting === WITH_INCIDENT) return staff ? 'Clocks paused while a major incident holds the ticket.' : 'Clocks paused while support works on the known problem.';
  if (awaiting === 'waiting_for_user') return staff ? 'Clocks paused while the requester is awaited.' : 'Clocks paused while we wait for you.';
  if (awaiting === 'waiting_for_approval') return 'Clocks paused while an approval is awaited.';
  return 'Clocks paused while a person outside support is awaited.';
}

