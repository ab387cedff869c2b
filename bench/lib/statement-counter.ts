// Preloaded into an app under test (`node --require`) by a scenario that counts statements: every query
// the app sends through pg, on every connection (notifications and the listener's checks included). The
// count is read over HTTP on a loopback port of its own, which it writes to BENCH_STATEMENTS_FILE once
// listening (writing the count to a file ten times a second cost the app more CPU than what it measured).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import pg from 'pg';

const file = process.env.BENCH_STATEMENTS_FILE;
if (file) {
  let count = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const server = createServer((_request, response) => response.end(String(count)));
  server.listen(0, '127.0.0.1', () => writeFileSync(file, String((server.address() as AddressInfo).port)));
  server.unref();
}
