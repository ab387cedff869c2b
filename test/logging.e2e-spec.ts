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

  // Redaction goes by what a value looks like, not by the name it comes under: a name can be spelled many
  // ways (percent-encoded, with brackets, with the `=` encoded into it), and a token can hide in any part.
  it('never writes an access or refresh token to the log, whatever the parameter is called or however it is encoded', async () => {
    const server = await startServerProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      JWT_SECRET_KEY: JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...database.env,
    });
    try {
      const signedIn = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
      });
      const { access_token: jwt, refresh_token: refresh } = (await signedIn.json()) as { access_token: string; refresh_token: string };
      const everyCharEncoded = [...jwt].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
      const paths = [
        `/api/v1/events?access%5Ftoken=${jwt}`,
        `/api/v1/events?access_token[]=${jwt}`,
        `/api/v1/events?access_token%3D${jwt}`,
        `/api/v1/events?access%255Ftoken=${jwt}`,
        `/api/v1/events?access_token=${everyCharEncoded}`,
        `/api/v1/tickets?search=Bearer%20${jwt}`,
        `/api/v1/events/${jwt}`,
        `/health?refresh%5Ftoken=${refresh}`,
        `/health?next=${encodeURIComponent(`/login?r=${refresh}`)}`,
      ];
      const ids = paths.map((_, index) => `token-in-url-${index}`);
      await Promise.all(paths.map((path, index) => fetchHeaders(`${server.url}${path}`, ids[index])));
      await waitFor(() => ids.every((id) => server.stderr.includes(`"id":"${id}"`)), () => `the log has no line for some of ${ids.join(', ')}`);
      const log = percentDecoded(server.stderr);
      const [, payload, signature] = jwt.split('.');
      const [, refreshSecret] = refresh.split('.');
      expect({ payload: log.includes(payload), signature: log.includes(signature), refresh: log.includes(refreshSecret) }).toEqual({ payload: false, signature: false, refresh: false });
      expect(log).toContain('[REDACTED]');
    } finally {
      await server.stop('SIGTERM');
    }
  });

  it('prints JSON lines with LOG_FORMAT=json', async () => {
    const lines = await run('json');
    const request = lines.find((line) => line.includes('request completed') && line.includes('/health'));
    expect(JSON.parse(request!)).toMatchObject({ level: 30, msg: 'request completed', req: { url: expect.stringMatching(/^\/health/) } });
    expect(lines.join('\n')).not.toMatch(/secret-(jwt|bearer)-value/);
  });
});

/** Reads a response's status and headers, then drops the connection (a stream that opened would never end). */
async function fetchHeaders(url: string, requestId: string): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { 'X-Request-Id': requestId }, signal: abort.signal });
  abort.abort();
  return response.status;
}

async function waitFor(condition: () => boolean, failure: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The text with every percent escape decoded, three times over (a token encoded twice is still a token). */
function percentDecoded(text: string): string {
  let decoded = text;
  for (let round = 0; round < 3; round += 1) decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return decoded;
}
