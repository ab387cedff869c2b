// `npm run bench`: how long a request takes to reach `waiting_for_approval` (the Local IT Support API's access request,
// offline provider, the kb-sample knowledge base loaded), seen as a client sees it: from POST /request to
// the workflow_update on the live stream. The baseline, in the same run, is the ticket's own `created`
// event on that stream: filing and streaming without the workflow's steps.
import { EventSource } from 'eventsource';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalServer } from './local-server';

const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 20);
const REQUEST = {
  request_type: 'software_access',
  title: 'Request for Admin Access',
  description: 'Need admin access to the customer database for the quarterly reporting work',
  priority: 'high',
  urgency: 'urgent',
  business_justification: 'Required for quarterly review',
};

async function main(): Promise<void> {
  const server = await startLocalServer({ LOG_LEVEL: 'error' });
  const auth = { Authorization: `Bearer ${server.adminToken}` };
  const arrivals = new Map<string, { created?: number; waiting?: number }>();
  const waiters = new Map<string, () => void>();
  const stream = new EventSource(`${server.url}/api/v1/events`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } }),
  });
  stream.onmessage = (message) => {
    const now = performance.now();
    const data = JSON.parse(message.data) as { ticket_id?: string; type: string; change?: string; status?: string };
    if (!data.ticket_id) return;
    const seen = arrivals.get(data.ticket_id) ?? {};
    if (data.change === 'created') seen.created ??= now;
    if (data.status === 'waiting_for_approval') seen.waiting ??= now;
    arrivals.set(data.ticket_id, seen);
    if (seen.waiting !== undefined) waiters.get(data.ticket_id)?.();
  };
  await new Promise<void>((done) => (stream.onopen = () => done()));
  try {
    await loadKnowledgeBase(server.url, auth);
    const file = async () => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/v1/request`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(REQUEST) });
      const { ticket_id: ticketId } = (await response.json()) as { ticket_id: string };
      if (arrivals.get(ticketId)?.waiting === undefined) await new Promise<void>((done) => waiters.set(ticketId, done));
      const seen = arrivals.get(ticketId)!;
      return { created: seen.created! - started, waiting: seen.waiting! - started };
    };
    for (let i = 0; i < 5; i++) await file(); // warm-up
    const sequential = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await file());
    const burst = await Promise.all(Array.from({ length: BURST }, file));
    process.stdout.write(
      `Request → waiting_for_approval, through HTTP and the live stream (offline provider, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})\n\n` +
        `                                         p50      p95      max   (ms)\n` +
        row(`baseline: ticket filed, 'created' event`, sequential.map((r) => r.created)) +
        row(`workflow: 'waiting_for_approval' event`, sequential.map((r) => r.waiting)) +
        row(`same, ${BURST} requests at once`, burst.map((r) => r.waiting)) +
        `\n${SEQUENTIAL} sequential requests after 5 warm-up ones; MAX_CONCURRENT_WORKFLOWS ${process.env.MAX_CONCURRENT_WORKFLOWS ?? 10}.\n`,
    );
  } finally {
    stream.close();
    await server.close();
  }
}

async function loadKnowledgeBase(url: string, auth: Record<string, string>): Promise<void> {
  const docs = resolve(process.env.KB_SAMPLE_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'kb-sample'), 'docs');
  for (const name of readdirSync(docs).sort()) {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(join(docs, name))]), name);
    const response = await fetch(`${url}/api/v1/llm/ingest_doc`, { method: 'POST', headers: auth, body: form });
    if (!response.ok) throw new Error(`ingesting ${name}: ${response.status}`);
  }
}

function row(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return `${label.padEnd(40)} ${[at(0.5), at(0.95), sorted.at(-1)!].map((v) => v.toFixed(1).padStart(7)).join('  ')}\n`;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
