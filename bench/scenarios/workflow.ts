// The assistant under a burst: many access requests filed at once, each timed from its POST /request to
// the `waiting_for_approval` update on the live stream (triage, knowledge search, plan, policy, pause),
// next to the same tickets' own `created` event on that stream (filing and streaming alone).
import { EventSource } from 'eventsource';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { ms, Row } from '../lib/report';

const ACCESS_REQUEST = JSON.stringify({
  request_type: 'software_access',
  title: 'Request for Admin Access',
  description: 'Need admin access to the customer database for the quarterly reporting work',
  priority: 'high',
  urgency: 'urgent',
  business_justification: 'Required for quarterly review',
});

export async function workflowScenario(context: BenchContext, kbSample: string): Promise<Row> {
  for (const name of readdirSync(join(kbSample, 'docs')).sort()) {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(kbSample, 'docs', name))]), name);
    const response = await fetch(`${context.app.url}/api/v1/llm/ingest_doc`, { method: 'POST', headers: context.auth, body: form });
    if (!response.ok && response.status !== 409) throw new Error(`ingesting ${name}: ${response.status}`);
  }
  const seen = new Map<string, { created?: number; waiting?: number }>();
  const waiters = new Map<string, () => void>();
  const stream = new EventSource(`${context.app.url}/api/v1/events?access_token=${context.token}`);
  stream.onmessage = (message) => {
    const data = JSON.parse(message.data) as { ticket_id?: string; change?: string; status?: string };
    if (!data.ticket_id) return;
    const times = seen.get(data.ticket_id) ?? {};
    if (data.change === 'created') times.created ??= performance.now();
    if (data.status === 'waiting_for_approval') times.waiting ??= performance.now();
    seen.set(data.ticket_id, times);
    if (times.waiting !== undefined) waiters.get(data.ticket_id)?.();
  };
  await new Promise<void>((resolve) => (stream.onopen = () => resolve()));
  const file = async () => {
    const started = performance.now();
    const response = await fetch(`${context.app.url}/api/v1/request`, { method: 'POST', headers: { ...context.auth, 'Content-Type': 'application/json' }, body: ACCESS_REQUEST });
    if (!response.ok) throw new Error(`POST /request: ${response.status} ${await response.text()}`);
    const { ticket_id: ticketId } = (await response.json()) as { ticket_id: string };
    if (seen.get(ticketId)?.waiting === undefined) {
      await new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(async () => {
          const ticket = (await (await fetch(`${context.app.url}/api/v1/tickets/${ticketId}`, { headers: context.auth })).json()) as { status: string };
          reject(new Error(`ticket ${ticketId} did not reach waiting_for_approval in 60 s (it is ${ticket.status}; seen on the stream: ${JSON.stringify(seen.get(ticketId))})`));
        }, 60_000);
        waiters.set(ticketId, () => (clearTimeout(timeout), resolve()));
      });
    }
    const times = seen.get(ticketId)!;
    return { created: times.created! - started, waiting: times.waiting! - started };
  };
  try {
    for (let i = 0; i < 3; i += 1) await file(); // warm-up
    const burst = await Promise.all(Array.from({ length: context.settings.workflowRequests }, file));
    const waiting = percentile(burst.map((run) => run.waiting), 95);
    const created = percentile(burst.map((run) => run.created), 95);
    const onServer = context.database === 'postgres';
    return new Row(
      `workflow: ${context.settings.workflowRequests} POST /request at once → waiting_for_approval`,
      `p50 ${ms(percentile(burst.map((run) => run.waiting), 50))}, p95 ${ms(waiting)}`,
      `the tickets' own 'created' event: p50 ${ms(percentile(burst.map((run) => run.created), 50))}, p95 ${ms(created)}`,
      waiting / created,
      onServer ? 'p95 < 1 s' : 'p95 < 1 s on PostgreSQL (reported here)',
      !onServer || waiting < 1000,
      { burst },
    );
  } finally {
    stream.close();
  }
}
