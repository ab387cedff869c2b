// What each move of a major incident writes on one of its tickets (TicketWriter.recordIncidentStep records
// it): staff bookkeeping quietly, and for the requester the plain words of incident-messages.ts.
import { TicketEventType } from '../tickets/ticket-events';
import { TicketStatus } from '../tickets/ticket.enums';
import type { IncidentStep } from '../tickets/ticket-writer.service';
import { HANDLED_ON_ITS_OWN, KNOWN_PROBLEM, requesterPart } from './incident-messages';

/** A closed report is left as it is: an incident neither reopens nor re-resolves it. */
const CLOSED = [TicketStatus.Resolved, TicketStatus.Denied] as const;

export const incidentSteps = {
  /** Grouped into a proposed incident (staff only: support has not decided yet). */
  proposed(incidentId: string, title: string, reasons: Record<string, unknown>): IncidentStep {
    return { changes: { incidentId }, event: { type: TicketEventType.IncidentProposed, staffOnly: true, payload: { incident_id: incidentId, title, reasons } }, quiet: true };
  },

  /** Linked to an incident support has not confirmed yet (staff only). */
  linkedToProposed(incidentId: string, likeness: number | null): IncidentStep {
    return {
      changes: { incidentId },
      event: { type: TicketEventType.IncidentLinked, staffOnly: true, payload: { incident_id: incidentId, similarity: likeness } },
      quiet: true,
      joins: incidentId,
    };
  },

  /**
   * Taken over by an open incident (when it is confirmed, or as the report arrives): the assistant stops,
   * the ticket waits with the incident (escalated, decision `incident`: its SLA clocks pause), and the
   * requester is told the problem is known.
   */
  absorbed(incidentId: string, type: TicketEventType.IncidentOpened | TicketEventType.IncidentLinked): IncidentStep {
    return {
      changes: { incidentId, status: TicketStatus.Escalated, decision: 'incident', planSummary: KNOWN_PROBLEM },
      event: { type, staffOnly: false, payload: requesterPart(incidentId, KNOWN_PROBLEM) },
      comment: KNOWN_PROBLEM,
      skipIn: CLOSED,
      // A report linked as it comes is linked once; confirming takes over tickets already in the incident.
      ...(type === TicketEventType.IncidentLinked ? { joins: incidentId } : {}),
    };
  },

  /** Its proposed incident was dismissed: back on its own, as if nothing happened (staff only). */
  dismissed(incidentId: string): IncidentStep {
    return { changes: { incidentId: null }, event: { type: TicketEventType.IncidentDismissed, staffOnly: true, payload: { incident_id: incidentId } }, quiet: true };
  },

  /** Support took it out of the incident: quietly while proposed; once open, it goes back to the support queue on its own. */
  unlinked(incidentId: string, wasOpen: boolean): IncidentStep {
    const event = { type: TicketEventType.IncidentUnlinked, staffOnly: true, payload: { incident_id: incidentId } };
    if (!wasOpen) return { changes: { incidentId: null }, event, quiet: true };
    return { changes: { incidentId: null, decision: 'escalated', planSummary: HANDLED_ON_ITS_OWN }, event };
  },

  /** An update support posted on the incident: a comment and an event on each live ticket. */
  update(incidentId: string, body: string): IncidentStep {
    return { changes: {}, event: { type: TicketEventType.IncidentUpdate, staffOnly: false, payload: requesterPart(incidentId, body) }, comment: body, quiet: true, skipIn: CLOSED };
  },

  /** The incident's resolution, on each ticket still open. */
  resolved(incidentId: string, resolution: string): IncidentStep {
    return {
      changes: { status: TicketStatus.Resolved, decision: 'resolved', resolution },
      event: { type: TicketEventType.IncidentResolved, staffOnly: false, payload: requesterPart(incidentId, resolution) },
      comment: resolution,
      skipIn: CLOSED,
    };
  },
};
