// Employees: their own tickets. Support and admin: every ticket, with filters. Both follow the live stream.
import { useState } from 'preact/hooks';
import { api, type TicketStatus, type User } from '../api/client';
import { Alert, LiveIndicator, Loading, StatusBadge } from '../components/ui';
import { asPage, LoadMore, useCursorList } from '../cursor-list';
import { ago, label, STATUS_LABEL } from '../format';
import { useLiveEvents } from '../live';
import { href } from '../router';
import { isStaff } from '../session';
import { applyEvent } from '../tickets-live';

export function TicketList({ user }: { user: User }) {
  const staff = isStaff(user);
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const { items: tickets, setItems: setTickets, errors, loadMore } = useCursorList(
    async (cursor) =>
      asPage(
        await api.GET('/api/v1/tickets', {
          params: { query: { limit: 25, sort: '-updated_at', ...(status ? { status } : {}), ...(search ? { q: search } : {}), ...(cursor ? { cursor } : {}) } as never },
        }),
        (data) => data.tickets,
      ),
    [status, search],
  );

  const live = useLiveEvents(null, (event) => {
    const ticketId = event.ticket_id;
    if (!ticketId || !tickets) return;
    if (!tickets.some((ticket) => ticket.ticket_id === ticketId)) {
      // A new ticket, or one that has just come to match the status filter (a text search is the API's to match).
      if (!search && (event.change === 'created' || (status && event.status === status))) void addNew(ticketId);
      return;
    }
    // A new owner: their name comes with the ticket.
    if (event.type === 'workflow_update' && 'assignee_id' in event && event.assignee_id !== tickets.find((ticket) => ticket.ticket_id === ticketId)?.assignee_id) void replace(ticketId);
    setTickets((list) => {
      if (!list) return list;
      const others = list.filter((ticket) => ticket.ticket_id !== ticketId);
      const updated = applyEvent(list.find((ticket) => ticket.ticket_id === ticketId)!, event);
      // Most recently updated first; a ticket that no longer matches the filter leaves the list.
      return status && updated.status !== status ? others : [updated, ...others];
    });
  });
  const replace = async (ticketId: string) => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: ticketId } } });
    if (data) setTickets((list) => list && list.map((ticket) => (ticket.ticket_id === data.ticket_id ? data : ticket)));
  };
  const addNew = async (ticketId: string) => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: ticketId } } });
    if (data && (!status || data.status === status)) setTickets((list) => (list && !list.some((t) => t.ticket_id === data.ticket_id) ? [data, ...list] : list));
  };

  return (
    <section>
      <div class="heading-row">
        <h1>{staff ? 'All tickets' : 'My tickets'}</h1>
        <LiveIndicator state={live} />
        <a class="button" href={href('/requests/new')}>New request</a>
      </div>
      <form class="filters" role="search" onSubmit={(event) => { event.preventDefault(); setSearch(q.trim()); }}>
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.currentTarget.value as TicketStatus | '')}>
            <option value="">Any</option>
            {Object.entries(STATUS_LABEL).map(([value, text]) => <option key={value} value={value}>{text}</option>)}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={q} placeholder="Words in the title or description" onInput={(event) => setQ(event.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Alert messages={errors} />
      {tickets === null ? (
        <Loading what="tickets" />
      ) : tickets.length === 0 ? (
        <p class="empty">{staff ? 'No tickets match.' : 'You have not filed a request yet.'} <a href={href('/requests/new')}>File a request</a></p>
      ) : (
        <div class="table-wrap">
          <table class="tickets">
            <caption class="visually-hidden">{staff ? 'All tickets' : 'My tickets'}, most recently updated first</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                {staff ? <th scope="col">Requester</th> : null}
                <th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Type</th>
                <th scope="col">Assignee</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.ticket_id} data-ticket-id={ticket.ticket_id}>
                  <td><a href={href(`/tickets/${ticket.ticket_id}`)}>{ticket.title}</a></td>
                  {staff ? <td data-requester>{ticket.requester?.name ?? ticket.employee_id}</td> : null}
                  <td><StatusBadge status={ticket.status} /></td>
                  <td>{label(ticket.priority)}</td>
                  <td>{label(ticket.request_type)}</td>
                  <td>{ticket.assignee ? (ticket.assignee.user_id === user.id ? 'You' : ticket.assignee.name) : <span class="muted">Nobody yet</span>}</td>
                  <td>{ago(ticket.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore onLoad={loadMore} />
    </section>
  );
}
