// Support's live queue: what waits for a person, the nearest SLA due time first (breached tickets, whose due
// time is past, at the top; then at risk). A ticket moves between the lanes (or leaves them) the moment its
// workflow update arrives on the stream, and its SLA badge changes with each SLA event — no reload.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Ticket, type TicketStatus, type User } from '../api/client';
import { IncidentBanner } from '../components/IncidentBanner';
import { Alert, LiveIndicator, SlaBadge, StatusBadge } from '../components/ui';
import { ago, dueText, label } from '../format';
import { type LiveEvent, useLiveEvents } from '../live';
import { href } from '../router';
import { applyEvent } from '../tickets-live';

const LANES: { status: TicketStatus; title: string; empty: string }[] = [
  { status: 'waiting_for_approval', title: 'Waiting for approval', empty: 'No approvals waiting.' },
  { status: 'escalated', title: 'Escalated', empty: 'Nothing escalated.' },
  { status: 'waiting_for_user', title: 'Waiting for the requester', empty: 'No one is being waited for.' },
];
const QUEUED = new Set<string>(LANES.map((lane) => lane.status));

/** Whose tickets the lanes show: everyone's, the engineer's own, or those nobody has taken yet. */
const VIEWS = [
  { id: 'all', title: 'Everyone’s' },
  { id: 'mine', title: 'Mine' },
  { id: 'unassigned', title: 'Unassigned' },
] as const;
type View = (typeof VIEWS)[number]['id'];
const ASSIGNEE_FILTER: Record<View, string | undefined> = { all: undefined, mine: 'me', unassigned: 'none' };
const VIEW_KEY = 'queue-view';

export function Queue({ user }: { user: User }) {
  const [view, setView] = useState<View>(() => (VIEWS.some((v) => v.id === localStorage.getItem(VIEW_KEY)) ? (localStorage.getItem(VIEW_KEY) as View) : 'all'));
  // Tickets an open incident holds are worked there, once (the banner above links to it), not in the lanes.
  const inView = (ticket: Ticket) =>
    ticket.decision !== 'incident' && (view === 'mine' ? ticket.assignee_id === user.id : view === 'unassigned' ? ticket.assignee_id === null : true);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  /** When each waiting approval expires (null: never), by ticket. */
  const [expiries, setExpiries] = useState<Map<string, string | null>>(new Map());
  const loadExpiries = () =>
    void api.GET('/api/v1/approvals', { params: { query: { mine: false, limit: 200 } } }).then(({ data }) => {
      if (data) setExpiries(new Map(data.approvals.map((approval) => [approval.ticket_id, approval.due_at])));
    });
  useEffect(loadExpiries, []);

  const [loading, setLoading] = useState(true);
  useEffect(() => {
    localStorage.setItem(VIEW_KEY, view);
    const assignee_id = ASSIGNEE_FILTER[view];
    // The lanes of the view asked for, never another view's answer arriving late.
    let current = true;
    setLoading(true);
    setTickets([]);
    void Promise.all(
      LANES.map((lane) => api.GET('/api/v1/tickets', { params: { query: { status: lane.status, sort: 'sla_due', limit: 100, held_by_incident: false, ...(assignee_id ? { assignee_id } : {}) } as never } })),
    ).then((pages) => {
      if (!current) return;
      setLoading(false);
      const failed = pages.find((page) => !page.data);
      if (failed) return setErrors(errorMessages(failed.error));
      setTickets(pages.flatMap((page) => page.data!.tickets));
    });
    return () => {
      current = false;
    };
  }, [view]);

  const fetchAndAdd = async (ticketId: string) => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: ticketId } } });
    if (data && QUEUED.has(data.status) && inView(data)) setTickets((list) => (list.some((t) => t.ticket_id === data.ticket_id) ? list : [...list, data]));
  };

  const refresh = async (ticketId: string) => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}', { params: { path: { ticket_id: ticketId } } });
    if (data) setTickets((list) => list.map((ticket) => (ticket.ticket_id === data.ticket_id ? data : ticket)).filter(inView));
  };

  const live = useLiveEvents(null, (event: LiveEvent) => {
    if (!event.ticket_id) return;
    if (event.type.startsWith('approval_')) loadExpiries();
    const known = tickets.find((ticket) => ticket.ticket_id === event.ticket_id);
    // A warning, a breach, a pause: the ticket's SLA summary changed.
    if (event.type.startsWith('sla_')) return known ? void refresh(event.ticket_id) : undefined;
    if (event.type !== 'workflow_update') return;
    if (!known) {
      // A ticket entering a lane, or entering this view (assigned to me, or given up by its owner).
      if ((typeof event.status === 'string' && QUEUED.has(event.status)) || 'assignee_id' in event) void fetchAndAdd(event.ticket_id);
      return;
    }
    // A new owner: the names come with the ticket.
    if ('assignee_id' in event && event.assignee_id !== known.assignee_id) return void refresh(event.ticket_id);
    setTickets((list) => list.map((ticket) => (ticket.ticket_id === event.ticket_id ? applyEvent(ticket, event) : ticket)).filter((ticket) => QUEUED.has(ticket.status) && ticket.decision !== 'incident'));
  });

  return (
    <section>
      <div class="heading-row">
        <h1>Support queue</h1>
        <LiveIndicator state={live} />
      </div>
      <IncidentBanner />
      <Alert messages={errors} />
      <div class="view-switch" role="group" aria-label="Whose tickets">
        {VIEWS.map((option) => (
          <button key={option.id} type="button" class="secondary" aria-pressed={view === option.id} onClick={() => setView(option.id)}>
            {option.title}
          </button>
        ))}
      </div>
      <div class="lanes" aria-busy={loading}>
        {LANES.map((lane) => {
          const inLane = tickets.filter((ticket) => ticket.status === lane.status).sort(bySlaDue);
          return (
            <section key={lane.status} class="lane card" aria-labelledby={`lane-${lane.status}`} data-lane={lane.status}>
              <h2 id={`lane-${lane.status}`}>
                {lane.title} <span class="count">{inLane.length}</span>
              </h2>
              {inLane.length === 0 ? <p class="muted">{lane.empty}</p> : null}
              <ul>
                {inLane.map((ticket) => (
                  <li key={ticket.ticket_id} class="queue-item" data-ticket-id={ticket.ticket_id}>
                    <a href={href(`/tickets/${ticket.ticket_id}`)}>{ticket.title}</a>
                    <div class="small" data-people>
                      {ticket.requester?.name ?? ticket.employee_id}
                      {ticket.requester?.department ? <span class="muted"> ({ticket.requester.department})</span> : null}
                      <span class="muted"> · {ticket.assignee ? (ticket.assignee.user_id === user.id ? 'assigned to you' : `assigned to ${ticket.assignee.name}`) : 'unassigned'}</span>
                    </div>
                    <div class="muted small">
                      <StatusBadge status={ticket.status} /> <SlaBadge state={ticket.sla_state} dueAt={ticket.sla_due_at} /> {label(ticket.priority)} priority · filed{' '}
                      {ago(ticket.created_at)}
                      {lane.status === 'waiting_for_approval' && expiries.get(ticket.ticket_id) ? (
                        <span data-approval-expiry> · approval {dueText(expiries.get(ticket.ticket_id), 'running')?.replace('due in', 'expires in').replace('over by', 'overdue by')}</span>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}

/** Nearest SLA due time first (a breached ticket's lies in the past); no due time last, oldest first among those. */
function bySlaDue(a: Ticket, b: Ticket): number {
  const due = (ticket: Ticket) => (ticket.sla_due_at ? Date.parse(ticket.sla_due_at) : Infinity);
  return due(a) - due(b) || a.created_at.localeCompare(b.created_at);
}
