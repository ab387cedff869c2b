// Support's edit of who owns a ticket and how it is filed: assignee, priority and category, saved together
// with one PATCH when the engineer says so (a menu alone changes nothing).
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas, type Ticket } from '../api/client';
import { Alert } from '../components/ui';
import { label } from '../format';

type Person = Schemas['AssignablePersonDto'];
type Changes = Schemas['UpdateTicketDto'];
const PRIORITIES: NonNullable<Changes['priority']>[] = ['low', 'medium', 'high', 'critical'];
const CATEGORIES: NonNullable<Changes['category']>[] = ['access', 'account', 'hardware', 'software', 'network', 'email', 'security', 'other'];
const NOBODY = '';

export function TicketDetails({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const [people, setPeople] = useState<Person[]>([]);
  const [assignee, setAssignee] = useState(ticket.assignee_id ?? NOBODY);
  const [priority, setPriority] = useState(ticket.priority);
  const [category, setCategory] = useState(ticket.category);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => void api.GET('/api/v1/users/assignable').then(({ data }) => setPeople(data?.users ?? [])), []);
  // What the ticket says now, whenever it changes (live, or after a save).
  useEffect(() => {
    setAssignee(ticket.assignee_id ?? NOBODY);
    setPriority(ticket.priority);
    setCategory(ticket.category);
  }, [ticket.assignee_id, ticket.priority, ticket.category]);

  const changes: Changes = {
    ...(assignee !== (ticket.assignee_id ?? NOBODY) ? { assignee_id: assignee === NOBODY ? null : assignee } : {}),
    ...(priority !== ticket.priority ? { priority } : {}),
    ...(category !== ticket.category ? { category } : {}),
  };
  const changed = Object.keys(changes).length > 0;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    setDone([]);
    const { error } = await api.PATCH('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: ticket.ticket_id } }, body: changes });
    setBusy(false);
    if (error) return setErrors(errorMessages(error));
    setDone(['Saved.']);
    onDone();
  };
  // Someone no longer assignable (deactivated, demoted) still shows as the current owner.
  const current = ticket.assignee && !people.some((person) => person.user_id === ticket.assignee_id) ? ticket.assignee : null;

  return (
    <form class="card details" aria-labelledby="details-heading" onSubmit={save}>
      <h2 id="details-heading">Owner and filing</h2>
      <Alert messages={errors} />
      <Alert kind="success" messages={done} />
      <div class="details-grid">
        <label for="details-assignee">Assignee</label>
        <select id="details-assignee" value={assignee} onChange={(event) => setAssignee(event.currentTarget.value)}>
          <option value={NOBODY}>Nobody (unassigned)</option>
          {current ? <option value={current.user_id}>{current.name}</option> : null}
          {people.map((person) => (
            <option key={person.user_id} value={person.user_id}>{person.name} ({label(person.role)})</option>
          ))}
        </select>
        <label for="details-priority">Priority</label>
        <select id="details-priority" value={priority} onChange={(event) => setPriority(event.currentTarget.value as Ticket['priority'])}>
          {PRIORITIES.map((value) => <option key={value} value={value}>{label(value)}</option>)}
        </select>
        <label for="details-category">Category</label>
        <select id="details-category" value={category} onChange={(event) => setCategory(event.currentTarget.value as Ticket['category'])}>
          {CATEGORIES.map((value) => <option key={value} value={value}>{label(value)}</option>)}
        </select>
      </div>
      <button type="submit" class="secondary" disabled={busy || !changed}>{busy ? 'Saving…' : 'Save changes'}</button>
    </form>
  );
}
