// Every field of POST /request. The form leaves checking to the API (noValidate) so that what people see
// is exactly what the API says, under the field it is about.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, type Schemas, type Ticket, type User } from '../api/client';
import { Alert, Field } from '../components/ui';
import { label, REQUEST_TYPE_LABEL, when } from '../format';
import { href, navigate } from '../router';

type Body = Schemas['CreateRequestDto'];
const FIELDS = ['title', 'description', 'request_type', 'category', 'priority', 'urgency', 'business_justification', 'desired_completion_date', 'employee_id'] as const;
const CATEGORIES: NonNullable<Body['category']>[] = ['access', 'account', 'hardware', 'software', 'network', 'email', 'security', 'other'];
const PRIORITIES: NonNullable<Body['priority']>[] = ['low', 'medium', 'high', 'critical'];
const URGENCIES: NonNullable<Body['urgency']>[] = ['low', 'normal', 'urgent'];

/** `followUpOf`: an earlier request of the user's that this one follows up (offered once replies no longer reopen it). */
export function NewRequest({ user, followUpOf = null }: { user: User; followUpOf?: string | null }) {
  const [earlier, setEarlier] = useState<Ticket | null>(null);
  useEffect(() => {
    if (followUpOf) void api.GET('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: followUpOf } } }).then(({ data }) => setEarlier(data ?? null));
  }, [followUpOf]);
  const [form, setForm] = useState<Record<(typeof FIELDS)[number], string>>({
    title: '',
    description: '',
    request_type: '',
    category: '',
    priority: '',
    urgency: '',
    business_justification: '',
    desired_completion_date: '',
    employee_id: user.employee_id,
  });
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, other: [] });
  const [busy, setBusy] = useState(false);
  const set = (name: (typeof FIELDS)[number]) => (event: { currentTarget: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement }) =>
    setForm({ ...form, [name]: event.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    // Empty optional fields are left out, so the API applies its defaults (category from the request type…).
    const body = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')) as unknown as Body;
    if (earlier) body.follow_up_of = earlier.ticket_id;
    if (form.desired_completion_date) body.desired_completion_date = new Date(`${form.desired_completion_date}T17:00:00`).toISOString();
    const { data, error } = await api.POST('/api/v1/request', { body });
    setBusy(false);
    if (error || !data) {
      setErrors(fieldErrors(error, FIELDS));
      return;
    }
    navigate(`/tickets/${data.ticket_id}`);
  };

  const field = (name: (typeof FIELDS)[number]) => ({ errors: errors.byField[name] ?? [] });

  return (
    <section>
      <h1>New request</h1>
      <form class="card form" onSubmit={submit} noValidate aria-describedby="request-help">
        <p id="request-help" class="muted">
          The assistant answers how-to questions from the knowledge base at once; access requests wait for the approval of support.
        </p>
        {earlier ? (
          <p class="follow-up" data-testid="follow-up-of">
            Follows up <a href={href(`/tickets/${earlier.ticket_id}`)}>{earlier.title}</a>, resolved {when(earlier.updated_at)}.
          </p>
        ) : null}
        <Alert messages={errors.other} />
        <Field id="title" label="Title" required {...field('title')} hint="A short summary, e.g. “VPN drops every few minutes”">
          {(d, invalid) => <input id="title" value={form.title} maxLength={200} aria-describedby={d} aria-invalid={invalid} onInput={set('title')} />}
        </Field>
        <Field id="description" label="Description" required {...field('description')} hint="What happens, what you tried, what you need">
          {(d, invalid) => <textarea id="description" rows={5} value={form.description} aria-describedby={d} aria-invalid={invalid} onInput={set('description')} />}
        </Field>
        <div class="row">
          <Field id="request_type" label="Request type" required {...field('request_type')}>
            {(d, invalid) => (
              <select id="request_type" value={form.request_type} aria-describedby={d} aria-invalid={invalid} onChange={set('request_type')}>
                <option value="">Choose…</option>
                {Object.entries(REQUEST_TYPE_LABEL).map(([value, text]) => (
                  <option key={value} value={value}>{text}</option>
                ))}
              </select>
            )}
          </Field>
          <Field id="category" label="Category" {...field('category')} hint="Optional; follows from the type">
            {(d, invalid) => (
              <select id="category" value={form.category} aria-describedby={d} aria-invalid={invalid} onChange={set('category')}>
                <option value="">Automatic</option>
                {CATEGORIES.map((value) => <option key={value} value={value}>{label(value)}</option>)}
              </select>
            )}
          </Field>
        </div>
        <div class="row">
          <Field id="priority" label="Priority" {...field('priority')}>
            {(d, invalid) => (
              <select id="priority" value={form.priority} aria-describedby={d} aria-invalid={invalid} onChange={set('priority')}>
                <option value="">Let triage decide</option>
                {PRIORITIES.map((value) => <option key={value} value={value}>{label(value)}</option>)}
              </select>
            )}
          </Field>
          <Field id="urgency" label="Urgency" {...field('urgency')}>
            {(d, invalid) => (
              <select id="urgency" value={form.urgency} aria-describedby={d} aria-invalid={invalid} onChange={set('urgency')}>
                <option value="">Normal</option>
                {URGENCIES.map((value) => <option key={value} value={value}>{label(value)}</option>)}
              </select>
            )}
          </Field>
        </div>
        <Field id="business_justification" label="Business justification" {...field('business_justification')} hint="Needed for access requests: why, and for how long">
          {(d, invalid) => <textarea id="business_justification" rows={3} value={form.business_justification} aria-describedby={d} aria-invalid={invalid} onInput={set('business_justification')} />}
        </Field>
        <div class="row">
          <Field id="desired_completion_date" label="Needed by" {...field('desired_completion_date')}>
            {(d, invalid) => <input id="desired_completion_date" type="date" value={form.desired_completion_date} aria-describedby={d} aria-invalid={invalid} onInput={set('desired_completion_date')} />}
          </Field>
          <Field id="employee_id" label="Employee ID" {...field('employee_id')} hint="Taken from your account">
            {(d, invalid) => <input id="employee_id" value={form.employee_id} aria-describedby={d} aria-invalid={invalid} onInput={set('employee_id')} />}
          </Field>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send request'}
        </button>
      </form>
    </section>
  );
}
