// Creating and listing tickets under load, the product next to the raw baseline server in the same run.
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { alternate, load, LoadResult } from '../lib/load';
import { Child, ROOT, startChild } from '../lib/processes';
import { Row } from '../lib/report';

const NEW_TICKET = JSON.stringify({
  title: 'Laptop will not boot after the update',
  description: 'The screen stays black after the BIOS logo; a restart does not help.',
  request_type: 'hardware',
  priority: 'medium',
});
const STATUS_PATHS = ['pending', 'waiting_for_approval', 'in_progress', 'escalated'].map((status) => `/api/v1/tickets?status=${status}&limit=20`);
/** A common word, a rare one, a phrase, and a word no ticket holds (the full-read case before the indexes). */
const SEARCH_PATHS = ['vpn', 'kerberos', 'printer jams', 'zzqx'].map((q) => `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=20`);

/** What the raw server runs per request (bench/raw-server.ts), as the rows say. */
const BASELINE_RUNS = {
  list: 'user-and-session SELECT, page SELECT',
  create: 'user-and-session SELECT; BEGIN, INSERT ticket, INSERT event, COMMIT',
};

export async function httpScenarios(context: BenchContext): Promise<Row[]> {
  const { settings } = context;
  const raw = await startBaseline(context);
  const headers = { ...raw.auth, 'Content-Type': 'application/json' };
  const run = (base: string, options: { method?: 'POST'; body?: string; paths?: string[]; path?: string }) => () =>
    load({ url: base + (options.path ?? options.paths![0]), connections: 50, seconds: settings.loadSeconds, headers, ...options });
  const warmUpRuns = context.database === 'embedded' ? 6 : 1;
  try {
    const rows: Row[] = [];
    const measure = async (name: string, target: string, runs: string, options: Parameters<typeof run>[1], check: (product: LoadResult, baseline: LoadResult) => boolean) => {
      const product = run(context.app.url, options);
      const baseline = run(raw.server.url, options);
      await warmUp(product, warmUpRuns); // JIT, pools, caches, for both
      await warmUp(baseline, warmUpRuns);
      const measured = await alternate(product, baseline, settings.rounds);
      rows.push(Row.load(name, measured.product, measured.baseline, target, check(measured.product, measured.baseline), `${raw.describe} (${runs})`));
    };
    // Creating's target: 0.7× the baseline on PostgreSQL, 0.5× on the embedded database (where both run on one connection).
    const createShare = context.database === 'postgres' ? 0.7 : 0.5;
    await measure(`list tickets, status filter, ${settings.tickets.toLocaleString('en')} rows, c=50`, '≥ 0.8× req/s', BASELINE_RUNS.list, { paths: STATUS_PATHS }, (p, b) => p.requestsPerSecond >= 0.8 * b.requestsPerSecond);
    await measure(`list tickets, q= search, ${settings.tickets.toLocaleString('en')} rows, c=50`, '≥ 0.8× req/s, p95 < 20 ms', BASELINE_RUNS.list, { paths: SEARCH_PATHS }, (p, b) => p.requestsPerSecond >= 0.8 * b.requestsPerSecond && p.p95 < 20);
    await measure('create ticket, c=50', `≥ ${createShare}× req/s, p99 < 100 ms`, BASELINE_RUNS.create, { method: 'POST', body: NEW_TICKET, path: '/api/v1/tickets' }, (p, b) => p.requestsPerSecond >= createShare * b.requestsPerSecond && p.p99 < 100);
    return rows;
  } finally {
    await raw.stop();
  }
}

/**
 * Loads until throughput stops rising (the last run within 15% of the one before), at most `runs` times.
 * A PGlite just opened runs its engine (WASM) unoptimised for its first few hundred statements — a page
 * query took 17 ms at first, 1–2 ms after ~600 — and on a busy machine that lasts longer than a set time.
 */
async function warmUp(work: () => Promise<LoadResult>, runs: number): Promise<void> {
  let previous = await work();
  for (let run = 1; run < runs; run += 1) {
    const next = await work();
    if (next.requestsPerSecond < 1.15 * previous.requestsPerSecond) return;
    previous = next;
  }
}

/**
 * The raw server on the app's PostgreSQL database, or on a copy of its embedded one (a PGlite is one
 * process's), with a token that both the app and the baseline accept.
 */
async function startBaseline(context: BenchContext): Promise<{ server: Child; auth: Record<string, string>; describe: string; stop(): Promise<void> }> {
  const script = join(ROOT, 'dist', 'bench', 'raw-server.js');
  if (context.databaseUrl) {
    const server = await startChild(script, { DATABASE_URL: context.databaseUrl, JWT_SECRET_KEY: context.jwtSecret });
    return { server, auth: context.auth, describe: 'raw node:http + pg, same database', stop: () => server.stop() };
  }
  const copy = await context.copyEmbeddedDatabase();
  try {
    const server = await startChild(script, { RAW_DATA_DIR: copy.dataDir, JWT_SECRET_KEY: context.jwtSecret });
    const stop = async () => {
      await server.stop();
      copy.remove();
    };
    return { server, auth: copy.auth, describe: 'raw node:http + pg on a PGlite copy of the seeded data, 1 connection', stop };
  } catch (error) {
    copy.remove();
    throw error;
  }
}
