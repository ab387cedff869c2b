// What every response carries and whom it is for: security headers (helmet), CORS for the allowed origins
// only, and the sign-in throttle — which a client cannot escape by claiming another address in
// X-Forwarded-For when it is not a trusted proxy. The app boots with a small throttle and a trusted proxy
// that is not loopback, so this test client is an untrusted one.
import { bootTestApp, TestApp } from '../support/test-app';
import { Reply, send } from './client';
import { fetchDocument, operationsOf } from './document';

const ALLOWED = 'https://desk.example.com';
const LIMIT = 3;

describe('HTTP hardening (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ ALLOWED_ORIGINS: ALLOWED, AUTH_THROTTLE_LIMIT: String(LIMIT), AUTH_THROTTLE_TTL: '60', TRUST_PROXY: '10.0.0.1' });
    url = testApp.url;
  });
  afterAll(() => testApp?.close());

  const securityHeaders = (label: string, reply: Reply) => ({
    label,
    'x-content-type-options': reply.headers.get('x-content-type-options'),
    'content-security-policy': reply.headers.get('content-security-policy')?.includes("default-src 'self'") ?? false,
    'strict-transport-security': reply.headers.has('strict-transport-security'),
    'x-frame-options': reply.headers.get('x-frame-options'),
    'referrer-policy': reply.headers.get('referrer-policy'),
    'cross-origin-opener-policy': reply.headers.get('cross-origin-opener-policy'),
    'x-powered-by': reply.headers.get('x-powered-by'),
  });
  const expectedHeaders = (label: string) => ({
    label,
    'x-content-type-options': 'nosniff',
    'content-security-policy': true,
    'strict-transport-security': true,
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-powered-by': null,
  });

  it('sends the security headers, and no X-Powered-By, on every operation’s answer and on the error paths', async () => {
    const operations = operationsOf(await fetchDocument(url));
    // Without a token or a body: 401s, and public answers. Sign-in and refresh are left to the throttle tests below.
    const someId = '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10';
    const replies: Array<[string, Reply]> = [];
    for (const { key, method, path } of operations.filter((operation) => !/auth\/(login|refresh)$/.test(operation.path))) {
      replies.push([key, await send(url, method, path, { params: { ticket_id: someId, user_id: someId, document_id: someId, calendar_id: someId, policy_id: someId, delegation_id: someId, attachment_id: someId, macro_id: someId, notification_id: someId, incident_id: someId } })]);
    }
    replies.push(['an unknown route', await send(url, 'GET', '/api/v1/nothing-here')]);
    replies.push(['malformed JSON', await send(url, 'POST', '/api/v1/tickets', { rawBody: { contentType: 'application/json', text: '{"title":' } })]);
    replies.push(['the OpenAPI document', await send(url, 'GET', '/docs-json')]);
    expect(replies.length).toBeGreaterThanOrEqual(31);
    for (const [label, reply] of replies) expect(securityHeaders(label, reply)).toEqual(expectedHeaders(label));
  });

  it('answers CORS requests from the allowed origin only', async () => {
    const preflight = (origin: string) =>
      send(url, 'OPTIONS', '/api/v1/tickets', { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const simple = await send(url, 'GET', '/health', { headers: { Origin: ALLOWED } });
    expect(simple.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(simple.headers.get('access-control-expose-headers')).toContain('retry-after');

    for (const foreign of ['https://evil.example.com', `${ALLOWED}.evil.example.com`, 'http://desk.example.com', 'null']) {
      const [refusedPreflight, refusedGet] = [await preflight(foreign), await send(url, 'GET', '/health', { headers: { Origin: foreign } })];
      expect({ foreign, preflight: refusedPreflight.headers.get('access-control-allow-origin'), get: refusedGet.headers.get('access-control-allow-origin') })
        .toEqual({ foreign, preflight: null, get: null });
    }
  });

  it(`answers sign-in attempts past the limit (${LIMIT} a minute) with 429, Retry-After and the error body`, async () => {
    const attempt = () => send(url, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'Wrong-Password-1' } });
    for (let i = 1; i <= LIMIT; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', detail: expect.any(String) });
    expect(securityHeaders('429', blocked)).toEqual(expectedHeaders('429'));
  });

  it('gives an untrusted client no fresh budget for claiming another address in X-Forwarded-For (or Forwarded, X-Real-IP)', async () => {
    const attempt = (i: number) =>
      send(url, 'POST', '/api/v1/auth/refresh', {
        body: { refresh_token: '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10.not-a-secret' },
        headers: { 'X-Forwarded-For': `198.51.100.${i}`, Forwarded: `for=198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i}` },
      });
    for (let i = 1; i <= LIMIT; i++) expect((await attempt(i)).status).toBe(401);
    for (let i = LIMIT + 1; i <= LIMIT + 3; i++) {
      const reply = await attempt(i);
      expect({ spoofed: `198.51.100.${i}`, status: reply.status }).toEqual({ spoofed: `198.51.100.${i}`, status: 429 });
    }
  });
});
