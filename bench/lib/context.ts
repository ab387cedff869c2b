// What every scenario needs: the app under test (restartable), an admin token, a database client on the
// app's own database, and the run's settings.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { Child, ROOT, startChild } from './processes';

export interface BenchSettings {
  quick: boolean;
  /** Scale of each scenario: full figures from the issue, or a short smoke run. */
  tickets: number;
  chunksServer: number;
  chunksEmbedded: number;
  subscribers: number;
  /** Subscribers on the second instance of the cross-instance SSE row (PostgreSQL only). */
  crossInstanceSubscribers: number;
  updates: number;
  workflowRequests: number;
  /** Alike reports of one outage in the incident burst (PostgreSQL only), filed over `incidentBurstSeconds`. */
  incidentReports: number;
  incidentBurstSeconds: number;
  loadSeconds: number;
  rounds: number;
  markdownBytes: number;
  pdfPages: number;
}

export const FULL: Omit<BenchSettings, 'quick'> = {
  tickets: 100_000, chunksServer: 100_000, chunksEmbedded: 20_000, subscribers: 1000, crossInstanceSubscribers: 200, updates: 200,
  workflowRequests: 50, incidentReports: 200, incidentBurstSeconds: 60, loadSeconds: 8, rounds: 3, markdownBytes: 20 * 1024 * 1024, pdfPages: 200,
};
export const QUICK: Omit<BenchSettings, 'quick'> = {
  tickets: 5_000, chunksServer: 3_000, chunksEmbedded: 2_000, subscribers: 50, crossInstanceSubscribers: 20, updates: 20,
  workflowRequests: 10, incidentReports: 30, incidentBurstSeconds: 3, loadSeconds: 2, rounds: 1, markdownBytes: 1024 * 1024, pdfPages: 20,
};

export const ADMIN = { email: 'bench-admin@example.com', password: `Bench-${randomBytes(9).toString('hex')}-1` };

export class BenchContext {
  app!: Child;
  token!: string;
  admin!: { id: string; employeeId: string };
  readonly jwtSecret = randomBytes(32).toString('hex');
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'support-desk-bench-'));

  private constructor(
    readonly settings: BenchSettings,
    /** The PostgreSQL server DATABASE_URL names, or undefined for embedded. */
    private readonly server: string | undefined,
    /** The app's database on that server (a database of the bench's own), or undefined for embedded. */
    readonly databaseUrl: string | undefined,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async create(settings: BenchSettings): Promise<BenchContext> {
    const server = process.env.DATABASE_URL;
    if (!server) return new BenchContext(settings, undefined, undefined, async () => undefined);
    // Never the database DATABASE_URL names: a throwaway one beside it on the same server.
    const database = await createDatabase(server, `support_desk_bench_${process.pid}`);
    return new BenchContext(settings, server, database.url, database.drop);
  }

  /** Another empty throwaway database on the same server, for a scenario that must start from nothing. */
  async createDatabase(suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
    if (!this.server) throw new Error('Only a PostgreSQL server holds several databases');
    return createDatabase(this.server, `support_desk_bench_${process.pid}_${suffix}`);
  }

  get database(): 'postgres' | 'embedded' {
    return this.databaseUrl ? 'postgres' : 'embedded';
  }

  appEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'error',
      JWT_SECRET_KEY: this.jwtSecret,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // One user is the whole load: no per-user limits, streams enough for every subscriber.
      AUTH_THROTTLE_LIMIT: '100000',
      LIMIT_REQUESTS_PER_WINDOW: '100000000',
      LIMIT_HIL_PER_WINDOW: '100000000',
      LIMIT_UPLOADS_PER_WINDOW: '100000',
      SSE_MAX_STREAMS_PER_USER: '1000',
      MAX_UPLOAD_MB: '30',
      ...overrides,
    };
  }

  /** The settings the app was last started with, which a restart keeps unless given others. */
  private appOverrides: Record<string, string> = {};

  async startApp(overrides: Record<string, string> = this.appOverrides): Promise<void> {
    this.appOverrides = overrides;
    // e.g. BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the app under load.
    const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.app = await startChild(join(ROOT, 'dist', 'src', 'main.js'), this.appEnv(overrides), nodeArgs);
    const login = await fetch(`${this.app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) });
    if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
    this.token = ((await login.json()) as { access_token: string }).access_token;
    const me = (await (await fetch(`${this.app.url}/api/v1/users/me`, { headers: this.auth })).json()) as { id: string; employee_id: string };
    this.admin = { id: me.id, employeeId: me.employee_id };
  }

  async restartApp(overrides: Record<string, string> = this.appOverrides): Promise<void> {
    await this.app.stop();
    await this.startApp(overrides);
  }

  get auth(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** A client on the app's database. The embedded one serves one connection, so the app is stopped meanwhile. */
  async withDatabase<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
    if (this.databaseUrl) {
      const db = new pg.Client({ connectionString: this.databaseUrl });
      await db.connect();
      try {
        return await work(db);
      } finally {
        await db.end();
      }
    }
    await this.app.stop();
    const embedded = new EmbeddedPostgres();
    const address = await embedded.start(this.dataDir);
    const db = new pg.Client({ host: address.host, port: address.port, user: address.username, database: address.database });
    await db.connect();
    try {
      return await work(db);
    } finally {
      await db.end();
      await embedded.stop();
      await this.startApp();
    }
  }

  /**
   * A copy of the embedded database as it stands, for a baseline that serves the same rows from a database
   * of its own (PGlite is one process's), taken while the app is stopped. The app signs in anew when it
   * starts again, in a session only its own database holds: `auth` is the session from before, which both hold.
   */
  async copyEmbeddedDatabase(): Promise<{ dataDir: string; auth: Record<string, string>; remove(): void }> {
    if (this.databaseUrl) throw new Error('Only the embedded database is copied');
    const auth = this.auth;
    const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-bench-raw-'));
    await this.app.stop();
    try {
      // The layout EmbeddedPostgres opens, as the e2e suite copies its template (test/support/test-app.ts).
      cpSync(join(this.dataDir, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
    } finally {
      await this.startApp();
    }
    return { dataDir, auth, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
  }

  async close(): Promise<void> {
    await this.app?.stop();
    await this.dropDatabase();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function createDatabase(server: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
