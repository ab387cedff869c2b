// One request through the whole support flow, with the typed client generated from openapi.json
// (`npm run client:generate`): register and sign in, file a request, follow its live events, answer the
// workflow's question, approve as an approver, print the outcome. Run with `npm run example:ts`.
import createClient from 'openapi-fetch';
import type { components, paths } from './api-schema';

const API_URL = (process.env.API_URL ?? 'http://localhost:8000').replace(/\/+$/, '');
const TIMEOUT_MS = 60_000;
const FINAL = new Set(['resolved', 'denied', 'escalated']);

type ErrorBody = components['schemas']['ErrorDto'];

/** A message of the ticket's event stream (`data:` JSON); which fields besides these depends on `type`. */
interface TicketEvent {
  type: 'connected' | 'workflow_update' | 'hil_response' | 'comment' | 'error' | 'keepalive';
  ticket_id: string | null;
  timestamp: string;
  status?: string;
  decision?: string;
  plan_summary?: string | null;
  next_action?: string;
  [field: string]: unknown;
}

class FlowError extends Error {}

/** Aborted after TIMEOUT_MS: ends whatever call or stream is open. */
const deadline = new AbortController();

// The signal goes to fetch() itself, not in the Request openapi-fetch builds: Node's fetch can lose a
// Request's own signal once that object is garbage-collected (nodejs/undici#3644), and the event stream
// would then outlive the deadline.
const api = (token?: string) =>
  createClient<paths>({
    baseUrl: API_URL,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    fetch: (request) => fetch(request, { signal: deadline.signal }),
  });

/** The body of a successful call, or a FlowError naming the step and the server's explanation. */
function expectOk<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const detail = (result.error as Partial<ErrorBody> | undefined)?.detail ?? JSON.stringify(result.error);
  throw new FlowError(`${step} failed: HTTP ${result.response.status} ${detail ?? ''}`.trim());
}

async function signIn(email: string, password: string, who: string): Promise<string> {
  const login = await api().POST('/api/v1/auth/login', { body: { email, password } });
  return expectOk(`Signing in as ${who} (${email})`, login).access_token;
}

async function main(): Promise<number> {
  const approverEmail = process.env.APPROVER_EMAIL || process.env.ADMIN_EMAIL;
  const approverPassword = process.env.APPROVER_PASSWORD || process.env.ADMIN_PASSWORD;
  if (!approverEmail || !approverPassword) {
    console.error(
      'Approving the request needs an approver (support or admin): set APPROVER_EMAIL and APPROVER_PASSWORD ' +
        '(or ADMIN_EMAIL and ADMIN_PASSWORD, as given to the server).',
    );
    return 2;
  }
  console.log(`API: ${API_URL}`);

  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const requester = { email: `requester-${suffix}@example.com`, password: `Example-Flow-${suffix}-1`, full_name: 'Example Requester', employee_id: `EMP-${suffix}` };
  expectOk('Registering the requester', await api().POST('/api/v1/auth/register', { body: requester }));
  const asRequester = api(await signIn(requester.email, requester.password, 'the requester'));
  const asApprover = api(await signIn(approverEmail, approverPassword, 'the approver'));
  console.log(`Registered and signed in ${requester.email} (${requester.employee_id}); approver: ${approverEmail}`);

  const created = expectOk(
    'Filing the request',
    await asRequester.POST('/api/v1/request', {
      body: {
        title: 'Need admin access to the customer database',
        description: 'Need admin access to the customer database to run the quarterly data review.',
        request_type: 'software_access',
        priority: 'high',
        urgency: 'urgent',
        business_justification: 'Required for quarterly review',
        desired_completion_date: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    }),
  );
  const ticketId = created.ticket_id;
  console.log(`Filed ticket ${ticketId}: status ${created.status}, next action ${created.next_action}`);

  let previousStatus: string | undefined;
  for await (const event of ticketEvents(asRequester, ticketId)) {
    printEvent(event);
    if (event.type !== 'workflow_update' || !event.status || event.status === previousStatus) continue;
    previousStatus = event.status;
    if (event.status === 'waiting_for_user') {
      const state = await asRequester.GET('/api/v1/workflow/{ticket_id}', { params: { path: { ticket_id: ticketId } } });
      console.log(`  ? The workflow asks: ${state.data?.pending?.question ?? '(question not available)'}`);
      const answer = 'Read and write access to the customer database, for the quarterly review; my manager approved it.';
      const reply = await asRequester.POST('/api/v1/hil/{ticket_id}', { params: { path: { ticket_id: ticketId } }, body: { answer } });
      console.log(`  > Answered as the requester: ${expectOk('Answering the question', reply).status}`);
    } else if (event.status === 'waiting_for_approval') {
      const approval = { approval: true, answer: 'Approved', comments: 'Access granted for 30 days' };
      const reply = await asApprover.POST('/api/v1/hil/{ticket_id}', { params: { path: { ticket_id: ticketId } }, body: approval });
      console.log(`  > Approved as ${approverEmail}: ${expectOk('Approving', reply).status}`);
    } else if (FINAL.has(event.status) || event.status === 'error') {
      break;
    }
  }

  const outcome = expectOk(
    'Reading the outcome',
    await asRequester.GET('/api/v1/workflow/{ticket_id}', { params: { path: { ticket_id: ticketId } } }),
  );
  console.log('\nOutcome');
  console.log(`  status:       ${outcome.status}`);
  console.log(`  decision:     ${outcome.decision}`);
  console.log(`  plan_summary: ${outcome.plan_summary ?? '—'}`);
  console.log(`  rule:         ${outcome.rule ? `${outcome.rule.id}: ${outcome.rule.description} → ${outcome.rule.outcome}` : '—'}`);
  return FINAL.has(outcome.status) ? 0 : 1;
}

/**
 * The ticket's Server-Sent Events, parsed. Starts from the ticket's first event (last_event_id=0), so
 * nothing the workflow did before the stream opened is missed, and resumes with Last-Event-ID if the
 * connection drops.
 */
async function* ticketEvents(client: ReturnType<typeof api>, ticketId: string): AsyncGenerator<TicketEvent> {
  let lastEventId = '0';
  for (let attempt = 1; ; attempt += 1) {
    const { data: body, error, response } = await client.GET('/api/v1/events/{ticket_id}', {
      params: { path: { ticket_id: ticketId }, header: { 'Last-Event-ID': lastEventId } },
      parseAs: 'stream',
    });
    if (!response.ok || !body) throw new FlowError(`Opening the event stream failed: HTTP ${response.status} ${JSON.stringify(error)}`);
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const lines = block.split('\n');
          const id = lines.find((line) => line.startsWith('id:'))?.slice(3).trim();
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, ''));
          if (id) lastEventId = id;
          if (data.length > 0) yield JSON.parse(data.join('\n')) as TicketEvent;
        }
      }
    } finally {
      // Also when the caller stops listening (break): close the connection, or it keeps Node running.
      await reader.cancel().catch(() => undefined);
    }
    if (attempt === 3) throw new FlowError('The event stream closed three times; giving up');
    console.log(`  (stream closed; reconnecting after event ${lastEventId})`);
  }
}

function printEvent(event: TicketEvent): void {
  const time = event.timestamp?.slice(11, 19) ?? '';
  if (event.type === 'workflow_update') {
    const plan = event.plan_summary ? ` plan="${event.plan_summary}"` : '';
    console.log(`${time} workflow_update status=${event.status} decision=${event.decision} next_action=${event.next_action}${plan}`);
  } else if (event.type === 'keepalive' || event.type === 'connected') {
    console.log(`${time} ${event.type}`);
  } else {
    const { type, ticket_id: _ticket, timestamp: _time, ...fields } = event;
    console.log(`${time} ${type} ${JSON.stringify(fields)}`);
  }
}

const timer = setTimeout(() => deadline.abort(), TIMEOUT_MS);
main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    if (deadline.signal.aborted) console.error(`Timed out: the ticket did not finish within ${TIMEOUT_MS / 1000} s`);
    else if (error instanceof FlowError) console.error(error.message);
    else if (error instanceof TypeError && String(error.cause ?? '').includes('ECONNREFUSED')) console.error(`No server at ${API_URL} (set API_URL)`);
    else console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(timer);
    deadline.abort(); // closes anything still open
  });
