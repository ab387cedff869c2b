import { DataSource } from 'typeorm';
import request from 'supertest';
import { bootTestApp, TestApp } from './support/test-app';
import { signUp } from './support/http';

describe('HTTP surface (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ BODY_LIMIT: '10kb', ALLOWED_ORIGINS: 'https://desk.example.com' });
    url = testApp.url;
  });
  afterAll(() => testApp.close());

  it.each(['/health', '/api/v1/health'])('GET %s answers healthy with a database check, without a token', async (path) => {
    const response = await request(url).get(path).expect(200);
    expect(response.body).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      checks: {
        database: { status: 'up' },
        // One process on the embedded database: no listener is needed; on a server it listens.
        listener: { status: process.env.TEST_DATABASE_URL ? 'up' : 'in-process' },
        queue: { status: 'up', waiting: 0, oldest_wait_seconds: null, running: 0, running_here: 0, slots_here: expect.any(Number) },
      },
    });
    expect(Date.parse(response.body.timestamp)).not.toBeNaN();
  });

  it('serves Swagger UI at /docs, the OpenAPI document at /docs-json and ReDoc at /redoc', async () => {
    const ui = await request(url).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const redoc = await request(url).get('/redoc').expect(200);
    expect(redoc.text).toContain('<redoc spec-url="/docs-json"');
    const document = await request(url).get('/docs-json').expect(200);
    expect(document.body.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, oauth2: { type: 'oauth2' } });
    expect(document.body.paths['/api/v1/auth/login'].post.operationId).toBe('authLogin');
    expect(document.body.paths['/api/v1/users/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(Object.keys(document.body.components.schemas.RegisterDto.properties)).toEqual(['email', 'password', 'full_name', 'employee_id', 'department']);
    const operationIds = Object.values(document.body.paths).flatMap((item) => Object.values(item as object).map((op) => op.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('serves ReDoc from this server, so /redoc works offline: same-origin scripts only, and no policy names another host', async () => {
    const redoc = await request(url).get('/redoc').expect(200);
    const scripts = [...redoc.text.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1]);
    expect(scripts).not.toHaveLength(0);
    for (const script of scripts) {
      expect(script).toMatch(/^\/(?!\/)/);
      const bundle = await request(url).get(script).expect(200);
      expect(bundle.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(bundle.text ?? bundle.body.toString()).toContain('RedocStandalone');
    }
    // ReDoc would otherwise report page views to its vendor; the policy would block it, but it should not try.
    expect(redoc.text).toContain('disable-telemetry="true"');
    for (const path of ['/redoc', scripts[0], '/docs', '/docs-json', '/health', '/api/v1/users/me', '/']) {
      const reply = await request(url).get(path).redirects(1);
      const policy = reply.headers['content-security-policy'];
      expect(policy).toBeDefined();
      expect(policy).not.toMatch(/https?:|\b[a-z0-9-]+(\.[a-z0-9-]+)+\b/i);
    }
  });

  it('says, without a token, that the demo is off — and gives no account or password', async () => {
    const status = await request(url).get('/api/v1/demo').expect(200);
    expect(status.body).toEqual({ enabled: false, accounts: [], password: null });
  });

  it('answers errors with the common body: statusCode, error, message and detail', async () => {
    const unauthorized = await request(url).get('/api/v1/users/me').auth('x', { type: 'bearer' }).expect(401);
    expect(unauthorized.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing or invalid access token',
      detail: 'Missing or invalid access token',
    });
    const user = await signUp(url);
    const missing = await request(url).get('/api/v1/nowhere').auth(user.token, { type: 'bearer' }).expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/v1/nowhere', detail: 'Cannot GET /api/v1/nowhere' });
  });

  it('refuses malformed JSON and bodies over the limit with a JSON error', async () => {
    const malformed = await request(url).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Request body is not valid JSON', detail: 'Request body is not valid JSON' });
    const tooLarge = await request(url).post('/api/v1/auth/login').send({ email: 'a@example.com', password: 'x'.repeat(20_000) }).expect(413);
    expect(tooLarge.body.detail).toBe('Request body is larger than the limit of 10kb');
  });

  it('sends CORS headers to allowed origins only', async () => {
    const allowed = await request(url).get('/health').set('Origin', 'https://desk.example.com').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://desk.example.com');
    const other = await request(url).get('/health').set('Origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets security headers and a request id, keeping a sane one the client sent', async () => {
    const response = await request(url).get('/health').set('X-Request-Id', 'trace-123').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBe('trace-123');
    const generated = await request(url).get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  // Last: it takes the database away.
  it('answers 503 unhealthy when the database is down', async () => {
    await testApp.app.get(DataSource).destroy();
    const response = await request(url).get('/health').expect(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      status: 'unhealthy',
      detail: 'The database is not reachable',
      checks: { database: { status: 'down' }, queue: { status: 'down' } },
    });
    // Not ready for traffic, but alive: a database outage must not get the instance restarted.
    const ready = await request(url).get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', reasons: ['the database is not reachable'] });
    const live = await request(url).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'alive', timestamp: expect.any(String) });
  });
});
