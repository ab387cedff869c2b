// What support can do with an incident in its status: confirm or dismiss a proposed one; post an update to
// an open one's requesters, or resolve it (and every ticket of it); reopen a resolved one. Each is one API
// call; whether it is allowed right now is the API's to say, and its message shows at the field it names.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert, Field } from '../components/ui';
import { type IncidentDetail, people, useIncidentCommand } from '../incidents';

interface Props {
  incident: IncidentDetail;
  onDone: (incident: IncidentDetail) => void;
}

export function IncidentActions({ incident, onDone }: Props) {
  const [done, setDone] = useState<string[]>([]);
  const after = (message: string) => (updated: IncidentDetail) => {
    setDone([message]);
    onDone(updated);
  };
  return (
    <section class="card actions" aria-labelledby="incident-actions-heading">
      <h2 id="incident-actions-heading">Support actions</h2>
      <Alert kind="success" messages={done} />
      {incident.status === 'proposed' ? <ConfirmOrDismiss incident={incident} after={after} /> : null}
      {incident.status === 'open' ? <PostUpdate incident={incident} onDone={after('Update posted: each requester reads it on their ticket.')} /> : null}
      {incident.status === 'open' ? <Resolve incident={incident} onDone={after('Resolved: the resolution goes to every open ticket of the incident.')} /> : null}
      {incident.status === 'resolved' ? <Reopen incident={incident} onDone={after('Reopened: new reports of the problem join it again.')} /> : null}
      {incident.status === 'dismissed' ? <p class="muted">Dismissed: its tickets were handled on their own.</p> : null}
    </section>
  );
}

type After = (message: string) => (incident: IncidentDetail) => void;
const path = (incident: IncidentDetail) => ({ params: { path: { incident_id: incident.incident_id } } });

function ConfirmOrDismiss({ incident, after }: { incident: IncidentDetail; after: After }) {
  const [title, setTitle] = useState(incident.title);
  const [asking, setAsking] = useState(false);
  const confirm = useIncidentCommand(['title'], after('Confirmed: the assistant stops on its tickets, and each requester is told the problem is known.'));
  const dismiss = useIncidentCommand([], after('Dismissed: its tickets carry on on their own.'));
  const busy = confirm.busy || dismiss.busy;
  const submit = (event: Event) => {
    event.preventDefault();
    const body = title.trim() === incident.title ? {} : { title };
    void confirm.run(() => api.POST('/api/v1/incidents/{incident_id}/confirm', { ...path(incident), body }));
  };
  return (
    <form onSubmit={submit}>
      <p>Detection grouped these reports. Confirm it if they are one problem; dismiss it if not.</p>
      <Alert messages={[...confirm.problems.other, ...dismiss.problems.other]} />
      <Field id="incident-title-edit" label="Title" errors={confirm.problems.byField.title} hint="For support and the record; requesters never see it.">
        {(describedBy, invalid) => (
          <input id="incident-title-edit" value={title} maxLength={200} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setTitle(event.currentTarget.value)} />
        )}
      </Field>
      <div class="button-row">
        <button type="submit" disabled={busy}>Confirm incident</button>
        <button type="button" class="secondary" disabled={busy} onClick={() => setAsking(true)}>Dismiss</button>
      </div>
      {asking ? (
        <ConfirmDialog
          title="Dismiss this incident?"
          confirmLabel="Dismiss"
          danger
          busy={dismiss.busy}
          onCancel={() => setAsking(false)}
          onConfirm={() => void dismiss.run(() => api.POST('/api/v1/incidents/{incident_id}/dismiss', path(incident))).then(() => setAsking(false))}
        >
          <p>Its {incident.tickets.length} tickets carry on on their own, and these reports are not grouped again.</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function PostUpdate({ incident, onDone }: { incident: IncidentDetail; onDone: (incident: IncidentDetail) => void }) {
  const [body, setBody] = useState('');
  const command = useIncidentCommand(['body'], (updated) => {
    setBody('');
    onDone(updated);
  });
  const submit = (event: Event) => {
    event.preventDefault();
    void command.run(() => api.POST('/api/v1/incidents/{incident_id}/updates', { ...path(incident), body: { body } }));
  };
  return (
    <form onSubmit={submit}>
      <fieldset>
        <legend>Tell the requesters</legend>
        <Alert messages={command.problems.other} />
        <Field id="incident-update" label="Update" required errors={command.problems.byField.body} hint="Each requester reads it on their ticket, without anyone else's name.">
          {(describedBy, invalid) => (
            <textarea id="incident-update" rows={3} value={body} maxLength={5000} aria-required="true" aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setBody(event.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" disabled={command.busy}>{command.busy ? 'Posting…' : 'Post update'}</button>
      </fieldset>
    </form>
  );
}

function Resolve({ incident, onDone }: { incident: IncidentDetail; onDone: (incident: IncidentDetail) => void }) {
  const [resolution, setResolution] = useState('');
  const [asking, setAsking] = useState(false);
  const command = useIncidentCommand(['resolution'], onDone);
  const send = () => command.run(() => api.POST('/api/v1/incidents/{incident_id}/resolve', { ...path(incident), body: { resolution } }));
  // Resolving reaches every requester at once: asked first. An empty resolution goes straight to the API,
  // whose message at the field says what is missing.
  const submit = (event: Event) => {
    event.preventDefault();
    if (resolution.trim()) setAsking(true);
    else void send();
  };
  const open = incident.tickets.filter((ticket) => ticket.status !== 'resolved' && ticket.status !== 'denied').length;
  return (
    <form onSubmit={submit}>
      <fieldset>
        <legend>Resolve</legend>
        <Alert messages={command.problems.other} />
        <Field id="incident-resolution" label="Resolution" required errors={command.problems.byField.resolution} hint="Every open ticket of the incident is resolved with it; each requester reads it.">
          {(describedBy, invalid) => (
            <textarea id="incident-resolution" rows={3} value={resolution} maxLength={5000} aria-required="true" aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setResolution(event.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" disabled={command.busy}>Resolve incident</button>
      </fieldset>
      {asking ? (
        <ConfirmDialog title="Resolve the incident?" confirmLabel="Resolve" busy={command.busy} onCancel={() => setAsking(false)} onConfirm={() => void send().then(() => setAsking(false))}>
          <p>
            {open} open ticket{open === 1 ? '' : 's'} ({people(incident.requester_count)}) will be resolved with this resolution. Tickets already closed stay as they are.
          </p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function Reopen({ incident, onDone }: { incident: IncidentDetail; onDone: (incident: IncidentDetail) => void }) {
  const command = useIncidentCommand([], onDone);
  return (
    <div>
      <p class="muted">The problem is back? Reopen it: new reports join it again. Tickets already resolved stay resolved.</p>
      <Alert messages={command.problems.other} />
      <button type="button" class="secondary" disabled={command.busy} onClick={() => void command.run(() => api.POST('/api/v1/incidents/{incident_id}/reopen', path(incident)))}>
        Reopen incident
      </button>
    </div>
  );
}
