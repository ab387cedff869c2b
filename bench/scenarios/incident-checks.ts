// What the incident burst must leave behind, read from the database itself: any breach throws, so that
// the bench fails loudly (a wrong count is a bug, not a slow figure).
import pg from 'pg';

export interface TicketTally {
  id: string;
  incidents: number;
  /** Tickets whose incident_id is the incident, and how many distinct ones (a join would repeat a row). */
  linked: number;
  distinct: number;
  /** Grouped while proposed (by detection), then taken over when support confirmed. */
  takenOverAtConfirm: number;
  /** Linked as they came, the incident being open (the workflow's first step, or detection). */
  linkedWhileOpen: number;
  /** Closed by the assistant before the incident could take them over (left as they are). */
  closedBefore: number;
}

const CLOSED = ['resolved', 'denied'];

/** Exactly one incident, open, every one of the `count` tickets in it once, each taken over and told once. */
export async function checkIncident(db: pg.Client, count: number): Promise<TicketTally> {
  const incidents = (await db.query<{ id: string; status: string }>(`SELECT id, status FROM incidents`)).rows;
  if (incidents.length !== 1) throw new Error(`incident burst: ${incidents.length} incidents instead of exactly 1: ${JSON.stringify(incidents)}`);
  const [incident] = incidents;
  if (incident.status !== 'open') throw new Error(`incident burst: the incident is ${incident.status}, not open`);
  const [{ linked, distinct }] = (await db.query(`SELECT count(*)::int AS linked, count(DISTINCT id)::int AS distinct FROM tickets WHERE incident_id = $1`, [incident.id])).rows;
  const [{ filed }] = (await db.query(`SELECT count(*)::int AS filed FROM tickets`)).rows;
  if (filed !== count || linked !== count || distinct !== count) {
    throw new Error(`incident burst: ${filed} tickets filed, ${linked} in the incident (${distinct} distinct); expected ${count} of each`);
  }
  const tickets = (
    await db.query<{ id: string; status: string; decision: string; told: number; grouped: number; opened: number }>(
      `SELECT ticket.id, ticket.status, ticket.decision,
              count(event.id) FILTER (WHERE event.type IN ('incident_opened', 'incident_linked') AND NOT event.staff_only)::int AS told,
              count(event.id) FILTER (WHERE event.type = 'incident_proposed' OR (event.type = 'incident_linked' AND event.staff_only))::int AS grouped,
              count(event.id) FILTER (WHERE event.type = 'incident_opened')::int AS opened
         FROM tickets AS ticket LEFT JOIN ticket_events AS event ON event.ticket_id = ticket.id
        GROUP BY ticket.id`,
    )
  ).rows;
  const wrong = tickets.filter((ticket) =>
    CLOSED.includes(ticket.status)
      ? ticket.told > 1 || ticket.grouped > 1
      : ticket.told !== 1 || ticket.grouped > 1 || ticket.status !== 'escalated' || ticket.decision !== 'incident',
  );
  if (wrong.length > 0) {
    throw new Error(`incident burst: ${wrong.length} ticket(s) not taken over exactly once (told: the requester's "known problem" events; grouped: joined the proposal): ${JSON.stringify(wrong.slice(0, 10))}`);
  }
  return {
    id: incident.id,
    incidents: incidents.length,
    linked,
    distinct,
    takenOverAtConfirm: tickets.filter((ticket) => ticket.opened === 1).length,
    linkedWhileOpen: tickets.filter((ticket) => ticket.told === 1 && ticket.opened === 0).length,
    closedBefore: tickets.filter((ticket) => CLOSED.includes(ticket.status)).length,
  };
}

/** Every ticket of the incident resolved, each by one `incident_resolved` event (or closed before): how many it resolved. */
export async function checkResolved(db: pg.Client, incidentId: string): Promise<number> {
  const tickets = (
    await db.query<{ id: string; status: string; resolved: number }>(
      `SELECT ticket.id, ticket.status, count(event.id) FILTER (WHERE event.type = 'incident_resolved')::int AS resolved
         FROM tickets AS ticket LEFT JOIN ticket_events AS event ON event.ticket_id = ticket.id
        WHERE ticket.incident_id = $1 GROUP BY ticket.id`,
      [incidentId],
    )
  ).rows;
  const wrong = tickets.filter((ticket) => !CLOSED.includes(ticket.status) || ticket.resolved > 1);
  if (wrong.length > 0) throw new Error(`incident burst: ${wrong.length} ticket(s) not resolved exactly once: ${JSON.stringify(wrong.slice(0, 10))}`);
  return tickets.filter((ticket) => ticket.resolved === 1).length;
}

/** The trail's projections have read every event committed so far. */
export async function projectionsCaughtUp(db: pg.Client): Promise<boolean> {
  const [{ caught_up: caughtUp }] = (
    await db.query(`SELECT (SELECT last_event_id FROM trail_checkpoints WHERE consumer = 'projections') >= (SELECT COALESCE(max(id), 0) FROM ticket_events) AS caught_up`)
  ).rows;
  return caughtUp === true;
}
