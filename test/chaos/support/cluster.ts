// Instances of the built app as real processes on one PostgreSQL database of their own, for the fault
// tests: start several, kill one with SIGKILL (no shutdown hook runs), start it again.
import { Client } from 'pg';
import { startServerProcess, ServerProcess } from '../../support/server-process';
import { ADMIN, createDatabase, JWT_SECRET } from '../../support/test-app';

export interface Cluster {
  /** Starts one more instance on the cluster's database; `overrides` change its settings. */
  start(overrides?: Record<string, string>): Promise<ServerProcess>;
  /** A query on the cluster's database, past every instance. */
  sql<T = Record<string, any>>(query: string, parameters?: unknown[]): Promise<T[]>;
  /** Stops every instance still running and drops the database. */
  close(): Promise<void>;
}

/**
 * Settings under which a notification, not a poll, must carry every cross-instance signal (polls are 30 s),
 * with short leases so that a dead instance's runs are taken over within seconds.
 */
export const CHAOS_SETTINGS: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  JWT_SECRET_KEY: JWT_SECRET,
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  BCRYPT_ROUNDS: '6',
  EVENTS_POLL_SECONDS: '30',
  WORKFLOW_POLL_MS: '30000',
  WORKFLOW_LEASE_SECONDS: '3',
  LIMIT_REQUESTS_PER_WINDOW: '10000',
  LIMIT_HIL_PER_WINDOW: '10000',
  SSE_MAX_STREAMS_PER_USER: '1000',
  AUTH_THROTTLE_LIMIT: '10000',
};

export async function createCluster(overrides: Record<string, string> = {}): Promise<Cluster> {
  const database = await createDatabase();
  const env = { ...CHAOS_SETTINGS, ...database.env, ...overrides };
  const instances: ServerProcess[] = [];
  return {
    start: async (more = {}) => {
      const instance = await startServerProcess({ ...env, ...more }, { built: true, timeoutMs: 90000 });
      instances.push(instance);
      return instance;
    },
    // A connection per query: one test restarts the database server under the instances.
    sql: async (query, parameters = []) => {
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        return (await client.query(query, parameters)).rows;
      } finally {
        await client.end();
      }
    },
    close: async () => {
      // A clean stop, or SIGKILL when one hangs (the test then fails on its own findings, not on a timeout).
      await Promise.all(
        instances.map((instance) =>
          Promise.race([instance.stop('SIGTERM'), new Promise((resolve) => setTimeout(resolve, 20000))]).then(() => instance.stop('SIGKILL')),
        ),
      );
      await database.drop();
    },
  };
}

/** Resolves when `check` returns true, polling every `everyMs`; rejects with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
