// On a ticket that a major incident holds: staff see which incident, with the way to it; the requester reads
// only that the problem is known (never the incident, its title or anyone else's report).
import { useEffect, useState } from 'preact/hooks';
import { api, type Ticket } from '../api/client';
import type { Incident } from '../incidents';
import { href } from '../router';
import { IncidentStatusBadge } from './ui';

const CLOSED = new Set(['resolved', 'denied']);

export function IncidentNotice({ ticket, staff }: { ticket: Ticket; staff: boolean }) {
  if (!ticket.incident_id) return null;
  if (staff) return <IncidentLink incidentId={ticket.incident_id} version={ticket.updated_at} />;
  // The requester's ticket carries the id of a merely proposed incident too: they are told only once support
  // has confirmed it and it took the ticket over (decision `incident`), and no longer once it is closed.
  if (ticket.decision !== 'incident' || CLOSED.has(ticket.status)) return null;
  return (
    <p class="alert alert-info incident-notice" data-testid="known-problem">
      This is a known problem that support is working on. We'll tell you here when it's fixed.
    </p>
  );
}

/** Read again whenever the ticket changes (`version`): a confirmation may have renamed the incident. */
function IncidentLink({ incidentId, version }: { incidentId: string; version: string }) {
  const [incident, setIncident] = useState<Incident | null>(null);
  useEffect(() => {
    void api.GET('/api/v1/incidents/{incident_id}', { params: { path: { incident_id: incidentId } } }).then(({ data }) => setIncident(data ?? null));
  }, [incidentId, version]);
  return (
    <p class="alert alert-info incident-notice" data-testid="incident-link">
      Part of incident: <a href={href(`/incidents/${incidentId}`)}>{incident?.title ?? 'a major incident'}</a>{' '}
      {incident ? <IncidentStatusBadge status={incident.status} resolving={incident.resolving} /> : null}
    </p>
  );
}
