// Support's major incidents: what needs attention (proposed, open) by default, or the resolved and
// dismissed ones for the record; kept current from the stream.
import { useState } from 'preact/hooks';
import { Alert, IncidentStatusBadge, LiveIndicator, Loading } from '../components/ui';
import { ago } from '../format';
import { type IncidentStatus, people, useIncidents } from '../incidents';
import { href } from '../router';

const VIEWS: { id: string; title: string; statuses: IncidentStatus[] }[] = [
  { id: 'active', title: 'Needs attention', statuses: ['proposed', 'open'] },
  { id: 'resolved', title: 'Resolved', statuses: ['resolved'] },
  { id: 'dismissed', title: 'Dismissed', statuses: ['dismissed'] },
  { id: 'all', title: 'All', statuses: [] },
];

export function Incidents() {
  const [view, setView] = useState(VIEWS[0]);
  const { incidents, errors, live } = useIncidents(view.statuses);

  return (
    <section>
      <div class="heading-row">
        <h1>Major incidents</h1>
        <LiveIndicator state={live} />
      </div>
      <p class="hint">Many people reporting one problem: detection proposes an incident, you confirm it and work it once for all of its tickets.</p>
      <div class="view-switch" role="group" aria-label="Which incidents">
        {VIEWS.map((option) => (
          <button key={option.id} type="button" class="secondary" aria-pressed={view.id === option.id} onClick={() => setView(option)}>
            {option.title}
          </button>
        ))}
      </div>
      <Alert messages={errors} />
      {incidents === null ? (
        <Loading what="incidents" />
      ) : incidents.length === 0 ? (
        <p class="empty">{view.id === 'active' ? 'No major incident needs attention.' : 'None.'}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Major incidents, newest first</caption>
            <thead>
              <tr><th scope="col">Incident</th><th scope="col">Status</th><th scope="col">People</th><th scope="col">Tickets</th><th scope="col">Detected</th></tr>
            </thead>
            <tbody>
              {incidents.map((incident) => (
                <tr key={incident.incident_id} data-incident-id={incident.incident_id}>
                  <td><a href={href(`/incidents/${incident.incident_id}`)}>{incident.title}</a></td>
                  <td><IncidentStatusBadge status={incident.status} resolving={incident.resolving} /></td>
                  <td class="number">{people(incident.requester_count)}</td>
                  <td class="number">{incident.ticket_ids.length}</td>
                  <td>{ago(incident.detected_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
