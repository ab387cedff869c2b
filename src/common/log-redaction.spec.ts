import { holdsToken, redactUrl, redactValues } from './log-redaction';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhYmMiLCJ0eXAiOiJhY2Nlc3MiLCJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0wMTIzNDU2Nzg5YWJj';
const REFRESH = '2a1f250d-445d-4ee6-bb4a-9079b8783f3f.0CKsYfzs4yDh8xHssUgFVNQuwhyxuGWRz0lWn35wiac';
const encodeEvery = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');

describe('log redaction', () => {
  it.each([
    ['a JWT under an encoded name', `/api/v1/events?access%5Ftoken=${JWT}&keep=1`, '/api/v1/events?access%5Ftoken=[REDACTED]&keep=1'],
    ['a JWT under a bracketed name', `/api/v1/events?access_token[]=${JWT}`, '/api/v1/events?access_token[]=[REDACTED]'],
    ['a JWT inside the name (its `=` encoded)', `/api/v1/events?keep=1&access_token%3D${JWT}`, '/api/v1/events?keep=1&[REDACTED]'],
    ['a JWT under any other name', `/api/v1/tickets?search=Bearer%20${JWT}`, '/api/v1/tickets?search=[REDACTED]'],
    ['a JWT with every character percent-encoded', `/x?access_token=${encodeEvery(JWT)}`, '/x?access_token=[REDACTED]'],
    ['a JWT encoded twice', `/x?a=${encodeURIComponent(encodeEvery(JWT))}`, '/x?a=[REDACTED]'],
    ['a JWT in the path', `/api/v1/events/${JWT}?keep=1`, '/api/v1/events/[REDACTED]?keep=1'],
    ['a JWT in the fragment', `/x#${JWT}`, '/x#[REDACTED]'],
    ['a refresh token inside another URL', `/health?next=${encodeURIComponent(`/login?r=${REFRESH}`)}`, '/health?next=[REDACTED]'],
    ['a secret-named parameter whatever its value', '/x?a=1&ACCESS_TOKEN=abc&refresh%5Ftoken=def', '/x?a=1&ACCESS_TOKEN=[REDACTED]&refresh%5Ftoken=[REDACTED]'],
  ])('redacts %s', (_, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    '/x?tokenish=abc',
    '/api/v1/tickets?created_after=2025-01-01T00:00:00.000Z&cursor=WyIyMDI1LTAxLTAxIiwiYWJjIl0',
    '/api/v1/tickets/6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10/comments?limit=20',
    '/api/v1/llm/search?q=version%201.2.3',
    '/x?broken=%E0%A4%A',
  ])('leaves %s as it is', (url) => {
    expect(redactUrl(url)).toBe(url);
  });

  it('redacts token-shaped strings and keys and secret-named values in parsed objects, without touching the original', () => {
    const query = { 'access%5Ftoken': JWT, [`access_token=${JWT}`]: '', list: ['ok', REFRESH], token: 'short', status: 'pending' };
    expect(redactValues(query)).toEqual({ 'access%5Ftoken': '[REDACTED]', '[REDACTED]': '[REDACTED]', list: ['ok', '[REDACTED]'], token: '[REDACTED]', status: 'pending' });
    expect(query.list[1]).toBe(REFRESH);
    expect(redactValues({ referer: `https://desk.example.com/?access_token=${JWT}`, accept: 'text/event-stream' })).toEqual({ referer: '[REDACTED]', accept: 'text/event-stream' });
  });

  it('knows a token by its shape', () => {
    expect([JWT, REFRESH, `${JWT.split('.').slice(0, 2).join('.')}.`].map(holdsToken)).toEqual([true, true, true]);
    expect(['1.2.3', 'report.final.pdf', '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10', 'support-desk-production.eu-west-1.example.com'].map(holdsToken)).toEqual([false, false, false, false]);
  });
});
