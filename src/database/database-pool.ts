// The one pg.Pool of the app: TypeORM runs on it (through its documented `driver` option) and the LangGraph
// checkpointer is handed the same pool, so nothing reaches into TypeORM's private driver and the embedded
// database's single connection is shared by both.
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { EmbeddedPostgresAddress } from './embedded-postgres';

export const DATABASE_POOL = Symbol('DATABASE_POOL');

/** A request waits at most this long for a connection when the server does not answer (ms): then 503. */
const CONNECT_TIMEOUT_MS = 5000;
const logger = new Logger('DatabasePool');

export function createDatabasePool(target: { url: string } | EmbeddedPostgresAddress): pg.Pool {
  if ('url' in target) {
    const pool = new pg.Pool({ connectionString: target.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle connection the server dropped (a restart): the pool discards it and opens a new one when
    // asked. Without a listener, the error would end the process.
    pool.on('error', (error) => logger.warn(`An idle database connection failed and was discarded: ${error.message}`));
    return pool;
  }
  // PGlite runs one session at a time: the socket server accepts one connection, so the pool holds one.
  return new pg.Pool({ host: target.host, port: target.port, user: target.username, database: target.database, max: 1 });
}

/** The `pg` module as TypeORM loads it, except that its Pool is the app's own pool. */
export function driverUsing(pool: pg.Pool): typeof pg {
  // TypeORM calls `new driver.Pool(options)`; a constructor that returns an object yields that object.
  function SharedPool(): pg.Pool {
    return pool;
  }
  return { ...pg, Pool: SharedPool as unknown as typeof pg.Pool };
}
