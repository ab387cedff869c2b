// What every fault test checks on the database once the dust settles: each ticket's events start with
// `created` and carry strictly increasing ids, and nothing was written twice.
import { writeSync } from 'node:fs';
import type { Cluster } from './cluster';

/** Statuses a person or the workflow can act on: nothing stuck half-way. */
export const ACTIONABLE = ['waiting_for_approval', 'waiting_for_user', 'resolved', 'denied', 'escalated', 'error'];

export interface TrailReport {
  tickets: number;
  events: number;
  /** Tickets whose first event is not their `created` workflow_update. */
  notCreatedFirst: string[];
  /** Events written twice: same ticket, type and payload. */
  duplicatedEvents: Array<{ ticket_id: string; type: string; payload: string; copies: number }>;
  duplicatedComments: Array<{ ticket_id: string; body: string; copies: number }>;
}

export async function checkTrails(cluster: Cluster, ticketIds: string[]): Promise<TrailReport> {
  const events = await cluster.sql<{ ticket_id: string; id: string; type: string }>(
    `SELECT ticket_id, id, COALESCE(payload->>'change', type) AS type FROM ticket_events WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id, id`,
    [ticketIds],
  );
  const firstOf = new Map<string, string>();
  for (const event of events) if (!firstOf.has(event.ticket_id)) firstOf.set(event.ticket_id, event.type);
  const duplicatedEvents = await cluster.sql<TrailReport['duplicatedEvents'][number]>(
    `SELECT ticket_id, type, payload::text AS payload, count(*)::int AS copies FROM ticket_events
      WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id, type, payload::text HAVING count(*) > 1`,
    [ticketIds],
  );
  const duplicatedComments = await cluster.sql<TrailReport['duplicatedComments'][number]>(
    `SELECT ticket_id, body, count(*)::int AS copies FROM ticket_comments
      WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id, author_id, body, internal HAVING count(*) > 1`,
    [ticketIds],
  );
  return {
    tickets: ticketIds.length,
    events: events.length,
    notCreatedFirst: ticketIds.filter((id) => firstOf.get(id) !== 'created'),
    duplicatedEvents,
    duplicatedComments,
  };
}

/** The figures a fault test reports (for the closing note and the CI log). */
export function report(name: string, figures: Record<string, number | string>): void {
  // Written at once: the suite force-exits, which can drop what an asynchronous write still holds.
  writeSync(1, `chaos: ${name}: ${Object.entries(figures).map(([key, value]) => `${key} ${value}`).join(', ')}\n`);
}
