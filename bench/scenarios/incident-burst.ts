// A major incident under load, on PostgreSQL, two instances of the app (A and B) on one fresh database:
// N people report the same VPN outage within a minute, through A and B by turns, while support reads the
// queue on B every 500 ms. Half-way through, support confirms the proposal on A — the reports filed before
// were grouped by detection (the projection of the trail), those after are linked by the workflow's first
// step — and once all is quiet, resolves it. Fails, whatever the figures, unless there is exactly one
// incident and every report is in it once, its requester told once and its ticket resolved once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { call, newUser, signIn, SignedIn } from '../lib/api';
import { ADMIN, BenchContext } from '../lib/context';
import { percentile } from '../lib/load';
import { OutageReport, outageReports } from '../lib/outage-reports';
import { Child, ROOT, sleep, startChild } from '../lib/processes';
import { ms, Row } from '../lib/report';
import { subscribe } from '../lib/sse-client';
import { checkIncident, checkResolved, projectionsCaughtUp, TicketTally } from './incident-checks';

/** What support's console reads for its queue (console/src/pages/Queue.tsx): three lanes, at once. */
const QUEUE = ['waiting_for_approval', 'escalated', 'waiting_for_user'].map((status) => `/api/v1/tickets?status=${status}&sort=sla_due&limit=100`);
const READ_EVERY_MS = 500;
const RESOLUTION = 'The VPN gateway was restarted; reconnect and it works.';

interface Instance {
  child: Child;
  /** Statements it has sent so far (bench/lib/statement-counter.ts). */
  statements(): Promise<number>;
}

interface Incident {
  incident_id: string;
  status: string;
  ticket_ids: string[];
  resolving: boolean;
}

export async function incidentBurstScenario(context: BenchContext): Promise<Row[]> {
  const { incidentReports: count, incidentBurstSeconds: seconds } = context.settings;
  const database = await context.createDatabase('incidents');
  const counters = mkdtempSync(join(tmpdir(), 'support-desk-bench-statements-'));
  const instances: Instance[] = [];
  const db = new pg.Client({ connectionString: database.url });
  try {
    // One after the other: the first runs the migrations.
    for (const name of ['a', 'b']) instances.push(await startInstance(context, database.url, join(counters, name)));
    await db.connect();
    const [a, b] = instances.map((instance) => instance.child.url);
    const admin = await signIn(a, ADMIN.email, ADMIN.password);
    const support = await newUser(a, 'support');
    await call(a, admin, 'PATCH', `/api/v1/users/${support.id}/role`, { role: 'support' });
    const people: SignedIn[] = [];
    for (let start = 0; start < count; start += 10) {
      people.push(...(await Promise.all(Array.from({ length: Math.min(10, count - start) }, (_, i) => newUser(start + i < count / 2 ? a : b, `reporter-${start + i}`)))));
    }
    const quietReads = context.settings.quick ? 6 : 20;
    const emptyQueue = await readQueueEvery(b, support.token, (reads) => reads.length >= quietReads);

    const statements = async () => (await Promise.all(instances.map((instance) => instance.statements()))).reduce((sum, count) => sum + count, 0);
    const statementsAtStart = await statements();
    // What support's console hears of the proposal: the first `incident_proposed` on its stream (on B).
    let proposedAt: number | undefined;
    const stream = await subscribe(`${b}/api/v1/events?access_token=${support.token}`, (data) => {
      if ((JSON.parse(data) as { type?: string }).type === 'incident_proposed') proposedAt ??= performance.now();
    });
    const burst = await fileBurst(a, b, support.token, outageReports(count), people, seconds * 1000);
    const settled = await settle(a, support.token, db).finally(() => stream.close());
    const proposalMs = proposedAt === undefined ? NaN : proposedAt - burst.fifthAnsweredAt;
    const burstStatements = (await statements()) - statementsAtStart;
    const incident = await checkIncident(db, count);
    const queuedQueue = await readQueueEvery(b, support.token, (reads) => reads.length >= quietReads);

    const statementsBefore = await statements();
    const resolveStarted = performance.now();
    const resolveAnswer = await timed(() => call(a, support.token, 'POST', `/api/v1/incidents/${incident.id}/resolve`, { resolution: RESOLUTION }));
    // `resolving` is `resolve_after IS NOT NULL`: watched in the database, so that the watching adds no statement to the count.
    await until(async () => (await db.query(`SELECT resolve_after IS NULL AS done FROM incidents WHERE id = $1`, [incident.id])).rows[0].done === true, 120_000, 10);
    const resolvedMs = performance.now() - resolveStarted;
    await until(() => projectionsCaughtUp(db), 60_000, 50);
    const resolveStatements = (await statements()) - statementsBefore;
    if ((await call<Incident>(b, support.token, 'GET', `/api/v1/incidents/${incident.id}`)).resolving) throw new Error('incident burst: still resolving on B');
    const resolved = await checkResolved(db, incident.id);

    return rows(context, { count, burst, proposalMs, burstStatements, settled, incident, emptyQueue, queuedQueue, resolveAnswerMs: resolveAnswer.ms, resolvedMs, resolveStatements, resolved });
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(instances.map((instance) => instance.child.stop()));
    await database.drop();
    rmSync(counters, { recursive: true, force: true });
  }
}

interface Burst {
  /** From the first report sent to the last answered (ms). */
  elapsedMs: number;
  filedMs: number[];
  /** Queue reads on B while the reports came in (ms each). */
  queueReads: number[];
  /** When the fifth report's POST was answered (performance.now()). */
  fifthAnsweredAt: number;
  confirm: { ms: number; takenOver: number; afterReports: number };
}

/**
 * The reports, one every `spreadMs / count`, through A and B by turns, each by its own person; support's
 * stream and queue on B meanwhile; support confirms the proposal on A once half the reports are in.
 */
async function fileBurst(a: string, b: string, supportToken: string, reports: OutageReport[], people: SignedIn[], spreadMs: number): Promise<Burst> {
  const answeredAt: number[] = [];
  const filedMs: number[] = [];
  let confirmation: Promise<Burst['confirm']> | undefined;
  let done = false;
  const started = performance.now();
  const reading = readQueueEvery(b, supportToken, () => done);
  try {
    await Promise.all(
      reports.map(async (report, index) => {
        await sleep(started + (index * spreadMs) / reports.length - performance.now());
        const { ms } = await timed(() => call(index % 2 === 0 ? a : b, people[index].token, 'POST', '/api/v1/request', report));
        filedMs.push(ms);
        answeredAt.push(performance.now());
        if (answeredAt.length === Math.floor(reports.length / 2)) confirmation = confirmProposal(a, supportToken, answeredAt.length);
      }),
    );
  } finally {
    done = true;
  }
  const elapsedMs = performance.now() - started;
  const queueReads = await reading;
  return { elapsedMs, filedMs, fifthAnsweredAt: answeredAt[4], queueReads, confirm: await confirmation! };
}

/** Waits for the proposal (it may still be on its way), then confirms it. */
async function confirmProposal(base: string, token: string, afterReports: number): Promise<Burst['confirm']> {
  let proposal: Incident | undefined;
  await until(async () => (proposal = (await call<{ incidents: Incident[] }>(base, token, 'GET', '/api/v1/incidents?status=proposed')).incidents[0]) !== undefined, 30_000, 100);
  const { ms, result } = await timed(() => call<Incident>(base, token, 'POST', `/api/v1/incidents/${proposal!.incident_id}/confirm`, { title: 'VPN gateway outage' }));
  return { ms, takenOver: result.ticket_ids.length, afterReports };
}

/**
 * Until the incidents support sees stop changing (the same for two seconds), the projections have read
 * every event, and no workflow run is left: how long that took after the last report (ms).
 */
async function settle(base: string, token: string, db: pg.Client): Promise<number> {
  const started = performance.now();
  let last = '';
  let sameSince = performance.now();
  await until(async () => {
    const { incidents } = await call<{ incidents: Incident[] }>(base, token, 'GET', '/api/v1/incidents?status=proposed,open');
    const seen = JSON.stringify(incidents.map((incident) => [incident.incident_id, incident.status, incident.ticket_ids.length]));
    if (seen !== last) [last, sameSince] = [seen, performance.now()];
    if (performance.now() - sameSince < 2000) return false;
    const [{ running }] = (await db.query(`SELECT count(*)::int AS running FROM tickets WHERE status IN ('pending', 'in_progress')`)).rows;
    return running === 0 && (await projectionsCaughtUp(db));
  }, 180_000, 250);
  return performance.now() - started;
}

/** Support's queue read on `base` every READ_EVERY_MS (never two at once) until `enough`: each read's time (ms). */
async function readQueueEvery(base: string, token: string, enough: (reads: number[]) => boolean): Promise<number[]> {
  const reads: number[] = [];
  while (!enough(reads)) {
    const started = performance.now();
    await Promise.all(QUEUE.map((path) => call(base, token, 'GET', path)));
    reads.push(performance.now() - started);
    await sleep(READ_EVERY_MS - (performance.now() - started));
  }
  return reads;
}

function rows(
  context: BenchContext,
  r: {
    count: number; burst: Burst; proposalMs: number; burstStatements: number; settled: number; incident: TicketTally; emptyQueue: number[]; queuedQueue: number[];
    resolveAnswerMs: number; resolvedMs: number; resolveStatements: number; resolved: number;
  },
): Row[] {
  const { burst, incident } = r;
  const during = { p50: percentile(burst.queueReads, 50), p95: percentile(burst.queueReads, 95), max: Math.max(...burst.queueReads) };
  const queued = { p50: percentile(r.queuedQueue, 50), p95: percentile(r.queuedQueue, 95) };
  const empty = { p50: percentile(r.emptyQueue, 50), p95: percentile(r.emptyQueue, 95) };
  const where = `${r.count} reports in ${Math.round(burst.elapsedMs / 1000)} s, 2 instances`;
  return [
    new Row(
      `incident burst: ${where}`,
      `${incident.incidents} incident, ${incident.linked}/${r.count} reports in it (${incident.distinct} distinct), each told once; proposed ${ms(r.proposalMs)} after the 5th report; settled ${ms(r.settled)} after the last`,
      `POST /request: p50 ${ms(percentile(burst.filedMs, 50))}, p95 ${ms(percentile(burst.filedMs, 95))}; ${Math.round(r.burstStatements / r.count)} statements a report (all both instances sent until settled: workflow, projections, support's reads)`,
      null,
      'exactly 1 incident, every report in it once',
      true, // a wrong count has thrown already
      { ...r.incident, proposalMs: r.proposalMs, settledMs: r.settled, filedMs: burst.filedMs, elapsedMs: burst.elapsedMs, statements: r.burstStatements },
    ),
    new Row(
      `queue read on B (3 lanes) during the burst: ${where}`,
      `p50 ${ms(during.p50)}, p95 ${ms(during.p95)}, max ${ms(during.max)} (${burst.queueReads.length} reads)`,
      `no burst: p50 ${ms(queued.p50)}, p95 ${ms(queued.p95)} with the ${r.count} queued; p50 ${ms(empty.p50)}, p95 ${ms(empty.p95)} empty`,
      during.p95 / queued.p95,
      'p95 < 250 ms',
      during.p95 < 250,
      { during: burst.queueReads, queued: r.queuedQueue, empty: r.emptyQueue },
    ),
    new Row(
      `confirm mid-burst (after ${burst.confirm.afterReports} reports)`,
      `${ms(burst.confirm.ms)}, ${incident.takenOverAtConfirm} tickets taken over; ${incident.linkedWhileOpen} later reports linked as they came`,
      '—',
      null,
      '< 2 s',
      burst.confirm.ms < 2000,
      { ...burst.confirm, takenOverAtConfirm: incident.takenOverAtConfirm, linkedWhileOpen: incident.linkedWhileOpen, closedBefore: incident.closedBefore },
    ),
    new Row(
      `resolve the incident (${r.resolved} tickets, batches of 50)`,
      `answered in ${ms(r.resolveAnswerMs)}; every ticket resolved after ${ms(r.resolvedMs)}; ${r.resolveStatements.toLocaleString('en')} statements (${(r.resolveStatements / r.resolved).toFixed(1)} a ticket)`,
      '—',
      null,
      '< 10 s',
      r.resolvedMs < 10_000,
      { answerMs: r.resolveAnswerMs, resolvedMs: r.resolvedMs, statements: r.resolveStatements, tickets: r.resolved, quick: context.settings.quick },
    ),
  ];
}

async function startInstance(context: BenchContext, databaseUrl: string, counterFile: string): Promise<Instance> {
  const counter = join(ROOT, 'dist', 'bench', 'lib', 'statement-counter.js');
  // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") as for the bench's own app.
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // Signing 200 people up is the set-up, not what is measured: cheap password hashes.
  const env = context.appEnv({ DATABASE_URL: databaseUrl, BENCH_STATEMENTS_FILE: counterFile, BCRYPT_ROUNDS: '6' });
  const child = await startChild(join(ROOT, 'dist', 'src', 'main.js'), env, [...nodeArgs, '--require', counter]);
  const port = Number(readFileSync(counterFile, 'utf8')); // written before the app listens, so before it answered /health
  return { child, statements: async () => Number(await (await fetch(`http://127.0.0.1:${port}/`)).text()) };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`incident burst: a wait of ${timeoutMs / 1000} s ran out`);
    await sleep(everyMs);
  }
}
