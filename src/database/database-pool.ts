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

/** How many nearest neighbours a vector search considers before fusing and filtering (the HNSW scan's ef_search). */
export const VECTOR_SEARCH_DEPTH = 100;

/**
 * Every session's vector-search settings, set when the connection opens rather than per search (each would
 * be a transaction of three statements): an HNSW scan returns up to the candidate depth (default 40), and
 * a filtered scan goes on until it has its rows instead of filtering only the 40 nearest. The names are the
 * pgvector extension's; set before it loads in the session, they wait as placeholders.
 */
const SESSION_SETTINGS = { 'hnsw.ef_search': String(VECTOR_SEARCH_DEPTH), 'hnsw.iterative_scan': 'strict_order' };

export function createDatabasePool(target: { url: string } | EmbeddedPostgresAddress): pg.Pool {
  if ('url' in target) {
    const options = Object.entries(SESSION_SETTINGS)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' ');
    const pool = new pg.Pool({ connectionString: target.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, options });
    // An idle connection the server dropped (a restart): the pool discards it and opens a new one when
    // asked. Without a listener, the error would end the process.
    pool.on('error', (error) => logger.warn(`An idle database connection failed and was discarded: ${error.message}`));
    return pool;
  }
  // PGlite runs one session at a time: the socket server accepts one connection, so the pool holds one,
  // and the embedded database is that one session for the life of the process: its settings are set once,
  // by the first statement it runs.
  const pool = new pg.Pool({ host: target.host, port: target.port, user: target.username, database: target.database, max: 1 });
  const settings = Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `SET ${name} = ${value}`)
    .join('; ');
  void pool.query(settings).catch((error: Error) => logger.warn(`Could not apply the session settings: ${error.message}`));
  return pool;
}

/** The `pg` module as TypeORM loads it, except that its Pool is the app's own pool. */
export function driverUsing(pool: pg.Pool): typeof pg {
  // TypeORM calls `new driver.Pool(options)`; a constructor that returns an object yields that object.
  function SharedPool(): pg.Pool {
    return pool;
  }
  return { ...pg, Pool: SharedPool as unknown as typeof pg.Pool };
}
