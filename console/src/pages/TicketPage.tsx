// One ticket: what was asked, what the assistant planned and why, its history, the conversation — and,
// for whoever is awaited, the action the workflow is waiting for. Follows the ticket's own event stream.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Comment, type Ticket, type TicketEvent, type User, type WorkflowState } from '../api/client';
import { Attachments } from '../components/Attachments';
import { CannedReplyPicker, type RenderedMacro } from '../components/CannedReplyPicker';
import { Citations } from '../components/Citations';
import { IncidentNotice } from '../components/IncidentNotice';
import { LineMarkdown, MessageMarkdown } from '../components/Markdown';
import { SlaPanel } from '../components/SlaPanel';
import { Timeline } from '../components/Timeline';
import { Alert, LiveIndicator, Loading, StatusBadge } from '../components/ui';
import { label, REQUEST_TYPE_LABEL, when } from '../format';
import { type LiveEvent, useLiveEvents } from '../live';
import { href } from '../router';
import { isStaff } from '../session';
import { StaffActions } from './StaffActions';
import { TicketDetails } from './TicketDetails';

export function TicketPage({ ticketId, user }: { ticketId: string; user: User }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [workflow, setWorkflow] = useState<WorkflowState | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [comments, setComments] = useState<Comment[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [seen, setSeen] = useState(0);
  const [filesVersion, setFilesVersion] = useState(0);
  const staff = isStaff(user);
  const path = { params: { path: { ticket_id: ticketId } } };

  const loadTicket = async () => {
    const [t, w] = await Promise.all([api.GET('/api/v1/tickets/{ticket_id}', path), api.GET('/api/v1/workflow/{ticket_id}', path)]);
    if (!t.data) return setErrors(errorMessages(t.error));
    setTicket(t.data);
    setWorkflow(w.data ?? null);
  };
  const loadComments = async () => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}/comments', { params: { path: { ticket_id: ticketId }, query: { limit: 100 } as never } });
    if (data) setComments(data.comments);
  };
  const loadEvents = async () => {
    const { data } = await api.GET('/api/v1/tickets/{ticket_id}/events', { params: { path: { ticket_id: ticketId }, query: { limit: 200 } as never } });
    if (data) setEvents((known) => merge(known, data.events));
  };

  useEffect(() => {
    setTicket(null);
    setEvents([]);
    void Promise.all([loadTicket(), loadComments(), loadEvents()]);
  }, [ticketId]);

  const live = useLiveEvents(ticketId, (event: LiveEvent) => {
    setEvents((known) => merge(known, [fromLive(event)]));
    setSeen((count) => count + 1);
    if (joinsConversation(event)) void loadComments();
    if (event.type.startsWith('attachment_')) setFilesVersion((version) => version + 1);
    else if (event.type !== 'comment') void loadTicket();
  });

  if (!ticket) return errors.length ? <Alert messages={errors} /> : <Loading what="the ticket" />;

  // Names as the API gives them for this viewer (a requester reads support's first names).
  const actorName = (actorId: string | null, name?: string | null) =>
    actorId === null ? 'Assistant' : actorId === user.id ? 'You' : (name ?? (actorId === ticket.requester_id ? 'Requester' : 'Support'));
  const pending = workflow?.pending ?? null;
  const iAmRequester = ticket.requester_id === user.id;
  const plan = workflow?.plan ?? null;
  const citations = plan?.citations ?? ticket.suggestion?.citations ?? [];

  return (
    <article class="ticket" aria-labelledby="ticket-title">
      <div class="heading-row">
        <h1 id="ticket-title">{ticket.title}</h1>
        <StatusBadge status={ticket.status} />
        <LiveIndicator state={live} />
      </div>
      <dl class="meta">
        <div><dt>Type</dt><dd>{REQUEST_TYPE_LABEL[ticket.request_type] ?? ticket.request_type}</dd></div>
        <div><dt>Category</dt><dd>{label(ticket.category)}</dd></div>
        <div><dt>Priority</dt><dd>{label(ticket.priority)}</dd></div>
        <div><dt>Urgency</dt><dd>{label(ticket.urgency)}</dd></div>
        {staff ? <Requester person={ticket.requester} employeeId={ticket.employee_id} /> : null}
        <div><dt>Assignee</dt><dd data-testid="assignee">{ticket.assignee ? (ticket.assignee.user_id === user.id ? 'You' : ticket.assignee.name) : 'Nobody yet'}</dd></div>
        <div><dt>Filed</dt><dd>{when(ticket.created_at)}</dd></div>
        {ticket.follow_up_of ? <div><dt>Follows up</dt><dd><a href={href(`/tickets/${ticket.follow_up_of}`)}>an earlier request</a></dd></div> : null}
        <div><dt>Needed by</dt><dd>{when(ticket.desired_completion_date)}</dd></div>
      </dl>
      <IncidentNotice ticket={ticket} staff={staff} />
      <Alert messages={errors} />

      <div class="columns">
        <div class="main-column">
          <section class="card" aria-labelledby="request-heading">
            <h2 id="request-heading">Request</h2>
            <p class="prewrap">{ticket.description}</p>
            {ticket.business_justification ? (
              <p><strong>Justification:</strong> {ticket.business_justification}</p>
            ) : null}
          </section>

          {pending?.kind === 'question' && iAmRequester && ticket.status === 'waiting_for_user' ? (
            <AnswerQuestion ticketId={ticketId} question={pending.question} onDone={loadTicket} />
          ) : null}

          {ticket.resolution || ticket.status === 'resolved' || ticket.status === 'denied' ? (
            <section class="card outcome" aria-labelledby="outcome-heading">
              <h2 id="outcome-heading">{ticket.status === 'denied' ? 'Decision' : 'Resolution'}</h2>
              <MessageMarkdown testId="resolution" text={ticket.resolution ?? ticket.plan_summary ?? '—'} />
              {plan?.steps?.length ? (
                <ol class="steps">{plan.steps.map((step) => <li key={step}><LineMarkdown text={step} /></li>)}</ol>
              ) : null}
              <Citations citations={citations} />
            </section>
          ) : null}

          {staff || !ticket.resolution ? (
            <section class="card" aria-labelledby="assistant-heading">
              <h2 id="assistant-heading">The assistant's plan</h2>
              {workflow ? (
                <>
                  {workflow.plan_summary ? <MessageMarkdown text={workflow.plan_summary} /> : <p>No plan yet — the workflow is still working on this request.</p>}
                  {pending ? (
                    <p class="awaiting">
                      <strong>Waiting for {pending.kind === 'approval' ? 'approval' : 'the requester'}:</strong> <LineMarkdown text={pending.question} />
                    </p>
                  ) : null}
                  {staff && plan ? <Citations citations={plan.citations} /> : null}
                  {staff && workflow.rule ? (
                    <p class="rule" data-testid="policy-rule">
                      <strong>Why:</strong> {workflow.rule.description} (outcome: {label(workflow.rule.outcome)}; rule <code>{workflow.rule.id}</code>)
                    </p>
                  ) : null}
                  {staff && workflow.triage?.reasons?.length ? (
                    <p class="muted">Triage: {workflow.triage.reasons.join('; ')}</p>
                  ) : null}
                  {staff && plan ? <p class="muted">Confidence {Math.round((plan.confidence ?? 0) * 100)} % · {plan.provider}</p> : null}
                </>
              ) : (
                <p class="muted">No workflow for this ticket.</p>
              )}
            </section>
          ) : null}

          {staff ? <SlaPanel ticketId={ticketId} version={seen} /> : null}
          {staff ? <StaffActions ticket={ticket} workflow={workflow} user={user} onDone={loadTicket} /> : null}
          {staff ? <TicketDetails ticket={ticket} onDone={loadTicket} /> : null}

          <Attachments ticketId={ticketId} user={user} version={filesVersion} />
          <Conversation ticket={ticket} comments={comments} staff={staff} actorName={actorName} onPosted={loadComments} />
        </div>
        <aside class="side-column card" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Timeline</h2>
          <Timeline events={events} actorName={actorName} staff={staff} />
        </aside>
      </div>
    </article>
  );
}

/** Staff see who asked and how to reach them. */
function Requester({ person, employeeId }: { person: Ticket['requester']; employeeId: string }) {
  return (
    <div data-testid="requester">
      <dt>Requester</dt>
      <dd>
        {person?.name ?? employeeId}
        {person?.email ? <> · <a href={`mailto:${person.email}`}>{person.email}</a></> : null}
        <span class="muted small"> · {[person?.department, employeeId].filter(Boolean).join(' · ')}</span>
      </dd>
    </div>
  );
}

function AnswerQuestion({ ticketId, question, onDone }: { ticketId: string; question: string; onDone: () => void }) {
  const [answer, setAnswer] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { error } = await api.POST('/api/v1/hil/{ticket_id}', { params: { path: { ticket_id: ticketId } }, body: { answer } });
    setBusy(false);
    if (error) return setErrors(errorMessages(error));
    setAnswer('');
    onDone();
  };
  return (
    <form class="card question" onSubmit={submit} aria-labelledby="question-heading">
      <h2 id="question-heading">A question for you</h2>
      <MessageMarkdown text={question} />
      <Alert messages={errors} />
      <label for="answer">Your answer</label>
      <textarea id="answer" rows={3} value={answer} onInput={(event) => setAnswer(event.currentTarget.value)} />
      <button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send answer'}</button>
    </form>
  );
}

interface ConversationProps {
  ticket: Ticket;
  comments: Comment[];
  staff: boolean;
  actorName: (actorId: string | null, name?: string | null) => string;
  onPosted: () => void;
}

function Conversation({ ticket, comments, staff, actorName, onPosted }: ConversationProps) {
  const ticketId = ticket.ticket_id;
  // A resolved request: the requester's reply reopens it until the window closes; after that, a follow-up.
  const reopensUntil = !staff && ticket.reply_reopens_until ? Date.parse(ticket.reply_reopens_until) : null;
  const windowClosed = reopensUntil !== null && reopensUntil < Date.now();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  // A canned reply that resolves the ticket: sent as the resolution (PATCH), not as a comment.
  const [resolve, setResolve] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const path = { params: { path: { ticket_id: ticketId } } };
  const submit = async (event: Event) => {
    event.preventDefault();
    const { error } = resolve
      ? await api.PATCH('/api/v1/tickets/{ticket_id}', { ...path, body: { status: 'resolved', comment: body } })
      : await api.POST('/api/v1/tickets/{ticket_id}/comments', { ...path, body: staff ? { body, internal } : { body } });
    if (error) return setErrors(errorMessages(error));
    setErrors([]);
    setBody('');
    setInternal(false);
    setResolve(false);
    onPosted();
  };
  const usePicked = (reply: RenderedMacro) => {
    setBody(reply.body);
    setInternal(reply.internal);
    setResolve(reply.resolve);
  };
  return (
    <section class="card" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Conversation</h2>
      {comments.length === 0 ? <p class="muted">No comments yet.</p> : null}
      <ul class="comments">
        {comments.map((comment) => (
          <li key={comment.comment_id} class={comment.internal ? 'comment internal' : 'comment'}>
            <div class="event-head">
              <strong>{actorName(comment.author_id, comment.author_name)}</strong>
              {comment.internal ? <span class="badge internal-badge">Internal note — not shown to the requester</span> : null}
              <span class="muted"> · {when(comment.created_at)}</span>
            </div>
            <p class="prewrap">{comment.body}</p>
          </li>
        ))}
      </ul>
      {windowClosed ? (
        <p class="follow-up" data-testid="follow-up-offer">
          This request was resolved {when(ticket.updated_at)}; replies here no longer reopen it.{' '}
          <a class="button" href={href(`/requests/new?follow_up_of=${ticketId}`)}>Open a follow-up request</a>
        </p>
      ) : (
      <form onSubmit={submit}>
        {reopensUntil !== null ? <p class="muted small" data-testid="reopen-hint">Still not working? Reply here and the request goes back to support (until {when(ticket.reply_reopens_until)}).</p> : null}
        <Alert messages={errors} />
        {staff ? <CannedReplyPicker ticketId={ticketId} onPicked={usePicked} /> : null}
        <label for="comment-body">{internal ? 'Internal note' : resolve ? 'Resolution' : 'Add a comment'}</label>
        <textarea id="comment-body" rows={3} value={body} onInput={(event) => setBody(event.currentTarget.value)} />
        {staff ? (
          <label class="check">
            <input type="checkbox" checked={internal} onChange={(event) => { setInternal(event.currentTarget.checked); if (event.currentTarget.checked) setResolve(false); }} /> Internal note (support and admin only)
          </label>
        ) : null}
        {staff ? (
          <label class="check">
            <input type="checkbox" checked={resolve} onChange={(event) => { setResolve(event.currentTarget.checked); if (event.currentTarget.checked) setInternal(false); }} /> Resolve the ticket with this reply
          </label>
        ) : null}
        <button type="submit">{internal ? 'Add internal note' : resolve ? 'Send and resolve' : 'Post comment'}</button>
      </form>
      )}
    </section>
  );
}

function fromLive(event: LiveEvent): TicketEvent {
  const { type, ticket_id, event_id, actor_id, actor_name, timestamp, ...payload } = event;
  return { id: String(event_id), ticket_id: ticket_id ?? '', type, actor_id: actor_id ?? null, actor_name: actor_name ?? null, timestamp, payload } as TicketEvent;
}

/** Events by id, oldest first: the replayed page and the live stream overlap, and each shows once. */
function merge(known: TicketEvent[], incoming: TicketEvent[]): TicketEvent[] {
  const byId = new Map(known.map((event) => [event.id, event]));
  for (const event of incoming) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Whether an event brings a new entry to the conversation: a comment, a change that carries one (the
 * assistant's or support's question to the requester), or the requester's answer.
 */
function joinsConversation(event: LiveEvent): boolean {
  if (event.type === 'comment') return true;
  if (event.type === 'workflow_update') return typeof event.comment === 'string';
  // An incident's update comes as its event and a comment, with no workflow_update.
  if (event.type === 'incident_update') return true;
  return event.type === 'hil_response' && event.kind === 'answer';
}
