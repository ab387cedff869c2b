// Above support's queue while a major incident needs attention: each proposed or open one, live, with the
// way to its page. Many tickets of one outage are worked there once, not one by one in the lanes below.
import { type Incident, people, useIncidents } from '../incidents';
import { href } from '../router';

const ACTIVE: Incident['status'][] = ['proposed', 'open'];

export function IncidentBanner() {
  const { incidents } = useIncidents(ACTIVE);
  const shown = incidents ?? [];
  return (
    <>
      {shown.length ? (
        <section class="incident-banner" aria-label="Major incidents">
          <ul>
            {shown.map((incident) => (
              <li key={incident.incident_id} class={`incident-${incident.status}`} data-incident-id={incident.incident_id}>
                <strong>{incident.status === 'proposed' ? 'Possible major incident:' : 'Open incident:'}</strong>{' '}
                <a href={href(`/incidents/${incident.incident_id}`)}>{incident.title}</a> — {people(incident.requester_count)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* Outside the banner, so that it is in the page before anything is said and a newcomer is announced. */}
      <span class="visually-hidden" role="status" aria-live="polite">{announcement(shown)}</span>
    </>
  );
}

function announcement(incidents: Incident[]): string {
  const proposed = incidents.filter((incident) => incident.status === 'proposed').length;
  const open = incidents.length - proposed;
  return [proposed ? `${proposed} possible major incident${proposed === 1 ? '' : 's'}` : '', open ? `${open} open incident${open === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
}
