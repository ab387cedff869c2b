// An incident's tickets, oldest first, each with its requester; while the incident is proposed or open,
// support links another ticket by its id, or takes one out.
import { useState } from 'preact/hooks';
import { api, type TicketStatus } from '../api/client';
import { Alert, Field, StatusBadge } from '../components/ui';
import { ago } from '../format';
import { type IncidentDetail, useIncidentCommand } from '../incidents';
import { href } from '../router';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Props {
  incident: IncidentDetail;
  onDone: (incident: IncidentDetail) => void;
}

export function IncidentTickets({ incident, onDone }: Props) {
  const changeable = incident.status === 'proposed' || incident.status === 'open';
  const unlink = useIncidentCommand([], onDone);
  const path = { params: { path: { incident_id: incident.incident_id } } };
  return (
    <section class="card" aria-labelledby="incident-tickets-heading">
      <h2 id="incident-tickets-heading">
        Tickets <span class="count">{incident.tickets.length}</span>
      </h2>
      <Alert messages={unlink.problems.other} />
      <ul class="incident-tickets">
        {incident.tickets.map((ticket) => (
          <li key={ticket.ticket_id} class="queue-item" data-ticket-id={ticket.ticket_id}>
            <a href={href(`/tickets/${ticket.ticket_id}`)}>{ticket.title}</a>
            <div class="small">
              {ticket.requester.name ?? 'Unknown requester'}
              {ticket.requester.department ? <span class="muted"> ({ticket.requester.department})</span> : null}
              <span class="muted"> · filed {ago(ticket.created_at)}</span> <StatusBadge status={ticket.status as TicketStatus} />
              {changeable ? (
                <button
                  type="button"
                  class="link unlink"
                  disabled={unlink.busy}
                  onClick={() => void unlink.run(() => api.POST('/api/v1/incidents/{incident_id}/unlink', { ...path, body: { ticket_id: ticket.ticket_id } }))}
                >
                  Unlink<span class="visually-hidden"> “{ticket.title}”</span>
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {changeable ? <LinkTicket incident={incident} onDone={onDone} /> : null}
    </section>
  );
}

function LinkTicket({ incident, onDone }: Props) {
  const [ticketRef, setTicketRef] = useState('');
  const command = useIncidentCommand(['ticket_id'], (updated) => {
    setTicketRef('');
    onDone(updated);
  });
  const submit = (event: Event) => {
    event.preventDefault();
    // A pasted ticket address (…#/tickets/<id>) works as well as the id itself.
    const ticketId = ticketRef.match(UUID)?.[0] ?? ticketRef.trim();
    void command.run(() => api.POST('/api/v1/incidents/{incident_id}/link', { params: { path: { incident_id: incident.incident_id } }, body: { ticket_id: ticketId } }));
  };
  return (
    <form onSubmit={submit} class="link-ticket">
      <Alert messages={command.problems.other} />
      <Field id="link-ticket-id" label="Link a ticket" errors={command.problems.byField.ticket_id} hint="Its id, or its address in the console.">
        {(describedBy, invalid) => (
          <input id="link-ticket-id" value={ticketRef} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setTicketRef(event.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" class="secondary" disabled={command.busy}>Link ticket</button>
    </form>
  );
}
