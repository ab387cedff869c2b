// Creating and listing tickets under load, the product next to the raw baseline server in the same run.
import { join } from 'node:path';
import { BenchContext } from '../lib/context';
import { alternate, load, LoadResult } from '../lib/load';
import { ROOT, startChild } from '../lib/processes';
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

export async function httpScenarios(context: BenchContext): Promise<Row[]> {
  const { settings } = context;
  const raw = context.databaseUrl
    ? await startChild(join(ROOT, 'dist', 'bench', 'raw-server.js'), { DATABASE_URL: context.databaseUrl, JWT_SECRET_KEY: context.jwtSecret })
    : undefined;
  const headers = { ...context.auth, 'Content-Type': 'application/json' };
  const run = (base: string | undefined, options: { method?: 'POST'; body?: string; paths?: string[]; path?: string }) =>
    base === undefined
      ? undefined
      : () => load({ url: base + (options.path ?? options.paths![0]), connections: 50, seconds: settings.loadSeconds, headers, ...options });
  try {
    const rows: Row[] = [];
    const measure = async (name: string, target: string, options: Parameters<typeof run>[1], check: (product: LoadResult, baseline?: LoadResult) => boolean) => {
      const product = run(context.app.url, options)!;
      const baseline = run(raw?.url, options);
      await product(); // warm-up: JIT, pools, caches, for both
      if (baseline) await baseline();
      const measured = baseline ? await alternate(product, baseline, settings.rounds) : { product: await product(), baseline: undefined };
      rows.push(Row.load(name, measured.product, measured.baseline, target, check(measured.product, measured.baseline)));
    };
    await measure(`list tickets, status filter, ${settings.tickets.toLocaleString('en')} rows, c=50`, '≥ 0.8× req/s', { paths: STATUS_PATHS }, (p, b) => !b || p.requestsPerSecond >= 0.8 * b.requestsPerSecond);
    await measure(`list tickets, q= search, ${settings.tickets.toLocaleString('en')} rows, c=50`, '≥ 0.8× req/s, p95 < 20 ms', { paths: SEARCH_PATHS }, (p, b) => (!b || p.requestsPerSecond >= 0.8 * b.requestsPerSecond) && p.p95 < 20);
    await measure('create ticket, c=50', '≥ 0.7× req/s, p99 < 100 ms', { method: 'POST', body: NEW_TICKET, path: '/api/v1/tickets' }, (p, b) => (!b || p.requestsPerSecond >= 0.7 * b.requestsPerSecond) && p.p99 < 100);
    return rows;
  } finally {
    await raw?.stop();
  }
}
