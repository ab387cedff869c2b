// What support and admin can do to a ticket. Each button is one API call; whether it is allowed right now
// (an approval already given, a finished run) is the API's to say, and its message is shown as it is.
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors, type Approval, type FieldErrors, type Ticket, type User, type WorkflowState } from '../api/client';
import { Alert, FieldProblem } from '../components/ui';
import { dueText, EXPIRY_LABEL, when } from '../format';

interface Props {
  ticket: Ticket;
  workflow: WorkflowState | null;
  user: User;
  onDone: () => void;
}

const FINISHED = new Set(['resolved', 'denied']);
/** The API lets support ask only where the workflow is not holding the ticket itself. */
const ASKABLE = new Set(['escalated', 'in_progress']);

export function StaffActions({ ticket, workflow, user, onDone }: Props) {
  const [comment, setComment] = useState('');
  const [question, setQuestion] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({ byField: {}, other: [] });
  const [done, setDone] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { ticket_id: ticket.ticket_id } } };
  const awaitingApproval = workflow?.pending?.kind === 'approval' && ticket.status === 'waiting_for_approval';
  // The open request: its due time, and the plan_hash that binds a decision to the plan shown.
  const [approval, setApproval] = useState<Approval | null>(null);
  const [approvalRead, setApprovalRead] = useState(0);
  useEffect(() => {
    if (!awaitingApproval) return setApproval(null);
    void api.GET('/api/v1/approvals', { params: { query: { mine: false, ticket_id: ticket.ticket_id, limit: 1 } } }).then(({ data }) => setApproval(data?.approvals[0] ?? null));
  }, [awaitingApproval, ticket.ticket_id, ticket.priority, approvalRead]);

  const run = async (what: string, call: () => Promise<{ error?: unknown }>) => {
    setBusy(true);
    setErrors({ byField: {}, other: [] });
    setDone([]);
    const { error } = await call();
    setBusy(false);
    // The comment and question fields show their own problems; the rest (a refusal) goes above.
    if (error) return setErrors(fieldErrors(error, ['comments', 'question']));
    setDone([what]);
    setComment('');
    setQuestion('');
    onDone();
  };

  const decide = async (approve: boolean) => {
    const body = { approval: approve, ...(comment ? { comments: comment } : {}), ...(approval ? { plan_hash: approval.plan_hash } : {}) };
    await run(approve ? 'Approved.' : 'Denied.', () => api.POST('/api/v1/hil/{ticket_id}', { ...path, body }));
    // A plan that changed meanwhile was refused: show the current request.
    setApprovalRead((read) => read + 1);
  };

  return (
    <section class="card actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Support actions</h2>
      <Alert messages={errors.other} />
      <Alert kind="success" messages={done} />
      {awaitingApproval ? (
        <fieldset>
          <legend>Approval</legend>
          {approval?.due_at ? (
            <p class="muted small" data-approval-due>
              Expires {when(approval.due_at)} ({dueText(approval.due_at, 'running')}); then {EXPIRY_LABEL[approval.on_expiry]}.
            </p>
          ) : null}
          <label for="decision-comment">Comment for the requester (to deny, say why)</label>
          <textarea
            id="decision-comment"
            rows={2}
            value={comment}
            aria-describedby={errors.byField.comments ? 'decision-hint decision-comment-error' : 'decision-hint'}
            aria-invalid={Boolean(errors.byField.comments)}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
          <p id="decision-hint" class="muted small">The requester reads your comment; a denial needs one.</p>
          <FieldProblem id="decision-comment-error" messages={errors.byField.comments} />
          <div class="button-row">
            <button type="button" disabled={busy} onClick={() => void decide(true)}>Approve</button>
            <button type="button" class="danger" disabled={busy || !comment.trim()} title={comment.trim() ? undefined : 'Say why first'} onClick={() => void decide(false)}>
              Deny
            </button>
          </div>
        </fieldset>
      ) : null}
      {ASKABLE.has(ticket.status) ? (
        <fieldset>
          <legend>Ask the requester</legend>
          <label for="ask-question">Question</label>
          <textarea
            id="ask-question"
            rows={2}
            value={question}
            aria-describedby={errors.byField.question ? 'ask-question-error' : undefined}
            aria-invalid={Boolean(errors.byField.question)}
            onInput={(event) => setQuestion(event.currentTarget.value)}
          />
          <FieldProblem id="ask-question-error" messages={errors.byField.question} />
          <button type="button" class="secondary" disabled={busy || !question.trim()} onClick={() => void run('Question sent to the requester.', () => api.POST('/api/v1/workflow/{ticket_id}/ask', { ...path, body: { question } }))}>
            Ask the requester
          </button>
        </fieldset>
      ) : null}
      <div class="button-row">
        {ticket.assignee_id !== user.id ? (
          <button type="button" class="secondary" disabled={busy} onClick={() => void run('Assigned to you.', () => api.PATCH('/api/v1/tickets/{ticket_id}', { ...path, body: { assignee_id: user.id } }))}>
            Assign to me
          </button>
        ) : null}
        {ticket.status === 'error' || ticket.status === 'escalated' ? (
          <button type="button" class="secondary" disabled={busy} onClick={() => void run('The workflow runs again.', () => api.POST('/api/v1/workflow/{ticket_id}/retry', path))}>
            Retry the workflow
          </button>
        ) : null}
        {!FINISHED.has(ticket.status) ? (
          <button type="button" class="secondary" disabled={busy} onClick={() => void run('Closed as resolved.', () => api.PATCH('/api/v1/tickets/{ticket_id}', { ...path, body: { status: 'resolved', comment: 'Closed by support' } }))}>
            Close as resolved
          </button>
        ) : null}
      </div>
    </section>
  );
}
