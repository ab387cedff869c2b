// A fingerprint of everything in the database, to show that a refused request wrote nothing anywhere.
import type { World } from './world';

export type Fingerprint = Record<string, string>;

/**
 * Bookkeeping, not data: a per-user limit counts every attempt, refused or not (a flood of invalid
 * requests is load too), and housekeeping notes when it ran.
 */
const BOOKKEEPING = ['public.user_action_counts', 'public.maintenance_jobs'];

export async function fingerprint(world: World): Promise<Fingerprint> {
  const tables = await world.sql<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const digests: Fingerprint = {};
  for (const { name } of tables.filter((table) => !BOOKKEEPING.includes(table.name))) {
    const [row] = await world.sql<{ rows: number; digest: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${name} t`,
    );
    digests[name] = `${row.rows} rows, ${row.digest}`;
  }
  return digests;
}

/** The fingerprint once background work (e.g. indexing a new ticket for search) has finished. */
export async function settledFingerprint(world: World, timeoutMs = 5000): Promise<Fingerprint> {
  const deadline = Date.now() + timeoutMs;
  let last = await fingerprint(world);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await fingerprint(world);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    if (Date.now() > deadline) throw new Error(`The database kept changing for ${timeoutMs} ms`);
    last = next;
  }
}
