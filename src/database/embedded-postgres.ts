// The embedded database: PGlite (PostgreSQL compiled to WASM, with pgvector) kept in DATA_DIR and served
// on a loopback port so that TypeORM's ordinary `postgres` driver (and any other pg client) can reach it.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedPostgresAddress {
  host: string;
  port: number;
  username: string;
  database: string;
}

export class EmbeddedPostgres {
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  /** Opens (or creates) the database in `dataDir` and listens on a free loopback port. */
  async start(dataDir: string): Promise<EmbeddedPostgresAddress> {
    const directory = join(dataDir, 'pglite');
    mkdirSync(directory, { recursive: true });
    this.db = await PGlite.create({ dataDir: directory, extensions: { vector, pg_trgm } });
    // PGlite runs one session at a time: one socket connection, so the pg pool must have size 1.
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await this.server.start();
    const port = (this.server as unknown as { port: number }).port;
    return { host: '127.0.0.1', port, username: 'postgres', database: 'postgres' };
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
