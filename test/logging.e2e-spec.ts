// What a person sees at a terminal: readable log lines (LOG_FORMAT=pretty, the default when standard output
// is a terminal) — and still no credential in them. JSON lines otherwise, for collectors.
import { startServerProcess } from './support/server-process';
import { ADMIN, createDatabase, JWT_SECRET } from './support/test-app';

describe('Log format (e2e, the server as a process)', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  beforeAll(async () => {
    database = await createDatabase();
  });
  afterAll(() => database.drop());

  const run = async (format: string) => {
    const server = await startServerProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_FORMAT: format,
      JWT_SECRET_KEY: JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...database.env,
    });
    try {
      await fetch(`${server.url}/health?access_token=secret-jwt-value`, { headers: { Authorization: 'Bearer secret-bearer-value' } });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the pretty printer writes from its own thread
    } finally {
      await server.stop('SIGTERM');
    }
    return server.stderr.split('\n');
  };

  it('prints readable lines with LOG_FORMAT=pretty, without credentials', async () => {
    const lines = await run('pretty');
    const request = lines.find((line) => line.includes('request completed') && line.includes('/health'));
    expect(request).toBeDefined();
    expect(request).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] /); // a time first, not a JSON object
    expect(request).toContain('INFO');
    expect(lines.some((line) => line.startsWith('{"level"'))).toBe(false);
    expect(lines.join('\n')).not.toMatch(/secret-(jwt|bearer)-value/);
  });

  it('prints JSON lines with LOG_FORMAT=json', async () => {
    const lines = await run('json');
    const request = lines.find((line) => line.includes('request completed') && line.includes('/health'));
    expect(JSON.parse(request!)).toMatchObject({ level: 30, msg: 'request completed', req: { url: expect.stringMatching(/^\/health/) } });
    expect(lines.join('\n')).not.toMatch(/secret-(jwt|bearer)-value/);
  });
});
