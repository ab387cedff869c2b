// One major incident: why its tickets were grouped, the tickets (arriving live), the updates posted to their
// requesters, and what support can do with it now. Read again after a burst of its events on the stream.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages } from '../api/client';
import { MessageMarkdown } from '../components/Markdown';
import { Alert, IncidentStatusBadge, LiveIndicator, Loading } from '../components/ui';
import { when } from '../format';
import { type IncidentDetail, isIncidentEvent, people, useReadAgainOn } from '../incidents';
import { IncidentActions } from './IncidentActions';
import { IncidentTickets } from './IncidentTickets';

/** While a resolution reaches its tickets in batches: its last batch may write no event, so ask too. */
const RESOLVING_POLL_MS = 2000;
const CLOSED = new Set(['resolved', 'denied']);

export function IncidentPage({ incidentId }: { incidentId: string }) {
  const [incident, setIncident] = useState<IncidentDetail | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const read = async () => {
    const { data, error } = await api.GET('/api/v1/incidents/{incident_id}', { params: { path: { incident_id: incidentId } } });
    if (!data) return setErrors(errorMessages(error));
    setErrors([]);
    setIncident(data);
  };
  useEffect(() => {
    setIncident(null);
    void read();
  }, [incidentId]);
  useEffect(() => {
    if (!incident?.resolving) return;
    const poll = setInterval(() => void read(), RESOLVING_POLL_MS);
    return () => clearInterval(poll);
  }, [incident?.resolving]);

  // Its own events (a ticket joined, an update went out), and anything that happens to one of its tickets.
  const live = useReadAgainOn(
    (event) => (isIncidentEvent(event) && event.incident_id === incidentId) || (event.ticket_id !== null && Boolean(incident?.ticket_ids.includes(event.ticket_id))),
    () => void read(),
  );

  if (!incident) return errors.length ? <Alert messages={errors} /> : <Loading what="the incident" />;
  const closedTickets = incident.tickets.filter((ticket) => CLOSED.has(ticket.status)).length;

  return (
    <article class="incident" aria-labelledby="incident-title">
      <div class="heading-row">
        <h1 id="incident-title">{incident.title}</h1>
        <IncidentStatusBadge status={incident.status} resolving={incident.resolving} />
        <LiveIndicator state={live} />
      </div>
      <dl class="meta">
        <div><dt>People affected</dt><dd data-testid="requester-count">{people(incident.requester_count)}</dd></div>
        <div><dt>Tickets</dt><dd>{incident.tickets.length}</dd></div>
        <div><dt>{incident.reasons.detected ? 'Detected' : 'Created'}</dt><dd>{when(incident.detected_at)}</dd></div>
        {incident.opened_at ? <div><dt>Confirmed</dt><dd>{when(incident.opened_at)}</dd></div> : null}
        {incident.closed_at ? <div><dt>{incident.status === 'dismissed' ? 'Dismissed' : 'Resolved'}</dt><dd>{when(incident.closed_at)}</dd></div> : null}
      </dl>
      <Alert messages={errors} />
      {incident.resolving ? (
        <div class="progress-row" role="status" data-testid="resolving">
          <span>Resolving… {closedTickets} of {incident.tickets.length} tickets</span>
          <progress max={incident.tickets.length} value={closedTickets} aria-label="Tickets resolved" />
        </div>
      ) : null}

      <div class="columns">
        <div class="main-column">
          {incident.resolution ? (
            <section class="card outcome" aria-labelledby="resolution-heading">
              <h2 id="resolution-heading">Resolution</h2>
              <MessageMarkdown testId="incident-resolution" text={incident.resolution} />
            </section>
          ) : null}
          <IncidentActions incident={incident} onDone={setIncident} />
          <IncidentTickets incident={incident} onDone={setIncident} />
          <Updates incident={incident} />
        </div>
        <aside class="side-column card" aria-labelledby="why-heading">
          <h2 id="why-heading">Why these were grouped</h2>
          <Reasons reasons={incident.reasons} />
        </aside>
      </div>
    </article>
  );
}

function Reasons({ reasons }: { reasons: IncidentDetail['reasons'] }) {
  if (!reasons.detected) return <p>Created by hand from chosen tickets.</p>;
  const similarity = reasons.similarity;
  return (
    <dl class="reasons">
      {reasons.rule ? <div><dt>Rule</dt><dd data-testid="rule">{reasons.rule}</dd></div> : null}
      {reasons.shared_terms?.length ? (
        <div><dt>Shared words</dt><dd data-testid="shared-terms">{reasons.shared_terms.join(', ')}</dd></div>
      ) : null}
      {similarity ? (
        <div>
          <dt>Similarity</dt>
          <dd>{percent(similarity.mean)} on average, at least {percent(similarity.min)} (grouped from {percent(similarity.cutoff)})</dd>
        </div>
      ) : null}
      {reasons.requesters ? <div><dt>When proposed</dt><dd>{people(reasons.requesters)}</dd></div> : null}
    </dl>
  );
}

function Updates({ incident }: { incident: IncidentDetail }) {
  return (
    <section class="card" aria-labelledby="updates-heading">
      <h2 id="updates-heading">Updates to the requesters</h2>
      {incident.updates.length === 0 ? <p class="muted">No update posted yet.</p> : null}
      <ol class="comments incident-updates">
        {incident.updates.map((update) => (
          <li key={update.update_id} class="comment">
            <div class="event-head">
              <strong>{update.author_name ?? 'Support'}</strong>
              <span class="muted"> · {when(update.created_at)}</span>
            </div>
            <p class="prewrap">{update.body}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
