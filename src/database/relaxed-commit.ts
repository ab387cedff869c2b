/**
 * Put in front of an INSERT that is a statement of its own: its transaction then commits without waiting
 * for the WAL flush (synchronous_commit off for that transaction only). For data a crash may lose the last
 * fraction of a second of without harm: counters that only make a limit briefly more lenient, vectors
 * `npm run kb:reembed` rebuilds. Never in a statement inside a transaction, which it would relax as well.
 * The CTE must be referenced (`FROM relaxed`), or PostgreSQL does not run it.
 */
export const RELAXED_COMMIT = `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))`;
