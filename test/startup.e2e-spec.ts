// What a person sees when the server starts: the banner (where it runs, the first admin's password) is the
// last thing printed at start-up, below every log line, and Nest's route mapping does not bury it — it is
// at debug level. The server runs as a real process, as `npm start` runs it.
import { ServerProcess, startServerProcess } from './support/server-process';
import { createDatabase, JWT_SECRET } from './support/test-app';

const BANNER_START = 'IT Support Desk API listening on';
const PASSWORD_NOTICE = /First start: created admin admin@example\.com with password (\S+)/;

describe('Start-up output (e2e, the server as a process)', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  beforeEach(async () => {
    // A database of its own each time: the first admin (and its password notice) comes on a fresh one only.
    database = await createDatabase();
  });
  afterEach(() => database.drop());

  /** Starts the server without ADMIN_EMAIL (so it creates the first admin), and returns what it printed once a request after the banner was logged. */
  const startUpOutput = async (env: Record<string, string>): Promise<string[]> => {
    const server = await startServerProcess({ NODE_ENV: 'test', JWT_SECRET_KEY: JWT_SECRET, BCRYPT_ROUNDS: '6', ...database.env, ...env });
    try {
      await waitFor(server, () => PASSWORD_NOTICE.test(server.stderr));
      // Records are written in order: once this request's line is out, any start-up record pino still held is too.
      await fetch(`${server.url}/health?probe=after-banner`);
      await waitFor(server, () => server.stderr.includes('probe=after-banner'));
    } finally {
      await server.stop('SIGTERM');
    }
    return server.stderr.slice(0, server.stderr.indexOf('probe=after-banner')).split('\n');
  };

  it.each(['json', 'pretty'])('prints the banner with the first admin’s password after every start-up log line (LOG_FORMAT=%s)', async (format) => {
    const lines = await startUpOutput({ LOG_FORMAT: format });

    const bannerAt = lines.findIndex((line) => line.includes(BANNER_START));
    expect(bannerAt).toBeGreaterThan(0);
    const noticeAt = lines.findIndex((line) => PASSWORD_NOTICE.test(line));
    expect(noticeAt).toBeGreaterThan(bannerAt);
    // Before the banner: the start-up records, the last of them Nest's "successfully started".
    const startedAt = lines.findIndex((line) => line.includes('Nest application successfully started'));
    expect(startedAt).toBeGreaterThan(-1);
    expect(startedAt).toBeLessThan(bannerAt);
    // After it: only the banner's own lines and requests (the test's health checks).
    const after = lines.slice(bannerAt).filter((line) => line.trim() !== '' && !line.startsWith('  '));
    for (const line of after) expect(line).toMatch(/request completed|"req":/);
  });

  it('keeps route mapping out of the log at the default level, and shows it with LOG_LEVEL=debug', async () => {
    const quiet = (await startUpOutput({ LOG_FORMAT: 'json' })).join('\n');
    expect(quiet).not.toMatch(/Mapped \{|RoutesResolver|RouterExplorer|dependencies initialized/);
    expect(quiet.split('\n').length).toBeLessThan(40);

    await database.drop();
    database = await createDatabase();
    const lines = await startUpOutput({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    const mapped = lines.filter((line) => line.includes('Mapped {/api/v1/tickets, POST} route'));
    expect(mapped).toHaveLength(1);
    expect(JSON.parse(mapped[0])).toMatchObject({ level: 20, context: 'RouterExplorer' });
    expect(lines.findIndex((line) => line.includes('Mapped {'))).toBeLessThan(lines.findIndex((line) => line.includes(BANNER_START)));
  });
});

async function waitFor(server: ServerProcess, condition: () => boolean): Promise<void> {
  while (!condition()) {
    if (server.exited) throw new Error(`The server ended: ${server.stderr.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
