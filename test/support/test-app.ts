// Boots the whole app, as `npm start` does, on a database of its own: a copy of the embedded template, or
// a fresh database on the PostgreSQL server named by TEST_DATABASE_URL. One boot per test file.
import type { INestApplication, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

export const ADMIN = { email: 'root-admin@example.com', password: 'Admin-Password-1' };
/**
 * Tickets worked by people only (WORKFLOW_ENABLED=false): new tickets stay `pending` and every status is
 * support's to set — for the suites that test tickets, events and the knowledge base rather than the workflow.
 */
export const WITHOUT_WORKFLOW = { WORKFLOW_ENABLED: 'false' };
export const JWT_SECRET = 'test-secret-0123456789-0123456789-0123456789';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  env: Record<string, string>;
  close(): Promise<void>;
  /** Stops the app but keeps its database, e.g. for a command that needs the database to itself. */
  stop(): Promise<void>;
  /** A query straight on the app's database, past every service: for setting up and checking what was stored. */
  sql<T = Record<string, any>>(query: string, parameters?: unknown[]): Promise<T[]>;
  /** Boots a second instance on the same database (after close()), as after a restart; `overrides` change its env. */
  restart(overrides?: Record<string, string>): Promise<TestApp>;
  /**
   * Waits until the projections of the trail (SLA clocks, approval plans) have applied every event committed
   * so far: what a write sets off is derived after its commit, and a test that reads it next waits for it.
   */
  caughtUp(): Promise<void>;
  /** Boots another instance beside this one on the same PostgreSQL database (its close() keeps the database). */
  another(overrides?: Record<string, string>): Promise<TestApp>;
}

export async function bootTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await createDatabase();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET_KEY: JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    BCRYPT_ROUNDS: '6',
    SWAGGER_ENABLED: 'true',
    ...database.env,
    ...overrides,
  };
  const started = await start(env, database.drop);
  return started;
}

async function start(env: Record<string, string>, dropDatabase: () => Promise<void>): Promise<TestApp> {
  const previous = { ...process.env };
  Object.assign(process.env, env);
  try {
    // Imported after the environment is set: ConfigModule reads it when the module is defined.
    const { AppModule } = await import('../../src/app.module');
    const { configureApp } = await import('../../src/app.setup');
    const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, logger: false, abortOnError: false });
    try {
      configureApp(app);
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      // A start-up that fails in a lifecycle hook still holds the database: release it, as main.ts does.
      await app.close();
      throw error;
    }
    const { TrailProjections } = await import('../../src/projections/trail-projections');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
    };
    return {
      app,
      url,
      env,
      sql: (query, parameters = []) => app.get(DataSource).query(query, parameters),
      caughtUp: () => app.get(TrailProjections).caughtUp(),
      close: async () => {
        await close();
        await dropDatabase();
      },
      stop: close,
      restart: async (overrides = {}) => {
        await close();
        return start({ ...env, ...overrides }, dropDatabase);
      },
      another: (overrides = {}) => start({ ...env, ...overrides }, async () => undefined),
    };
  } finally {
    process.env = previous;
  }
}

/**
 * Starts `load()`'s module without an HTTP server, with `env`, as a command such as `npm run kb:reembed`
 * does; on the embedded database the app must be stopped first (only one process may open it).
 */
export async function startContext(env: Record<string, string>, load: () => Promise<Type<unknown>>): Promise<INestApplicationContext> {
  const previous = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await NestFactory.createApplicationContext(await load(), { logger: false, abortOnError: false });
  } finally {
    process.env = previous;
  }
}

/** A database of its own for one test file: a copy of the embedded template, or a fresh one on TEST_DATABASE_URL. */
export async function createDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `support_desk_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(join(tmpdir(), 'support-desk-data-')) },
      drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-data-'));
  const template = process.env.TEST_PGLITE_TEMPLATE;
  if (template) cpSync(join(template, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  return {
    env: { DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
