// Preloaded into an app under test (`node --require`) by a scenario that counts statements: every query
// the app sends through pg, on every connection (notifications and the listener's checks included),
// written to BENCH_STATEMENTS_FILE ten times a second for the bench to read.
import { renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_STATEMENTS_FILE;
if (file) {
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  // Written aside and renamed over it: a reader never finds the file half-written.
  setInterval(() => {
    writeFileSync(`${file}.next`, String(count));
    renameSync(`${file}.next`, file);
  }, 100).unref();
}
