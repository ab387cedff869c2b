// How the security suite talks to the app: any operation of the OpenAPI document as one fetch (streams
// included: their headers are read, then the connection is dropped), forged access tokens, bounded concurrency.
import { createHmac } from 'node:crypto';
import { JWT_SECRET } from '../support/test-app';

export interface Call {
  /** Path parameters, percent-encoded on the way unless `rawPath` (then put in the URL as they are). */
  params?: Record<string, string>;
  rawPath?: boolean;
  query?: Record<string, string | string[]>;
  /** Appended to the query string as it is (for malformed escapes such as `%FF`). */
  rawQuery?: string;
  /** A JSON body: any JSON value. */
  body?: unknown;
  /** A body sent as it is, e.g. malformed JSON. */
  rawBody?: { contentType: string; text: string };
  /** A multipart body: text fields and files. */
  form?: { fields?: Record<string, string>; files?: Record<string, { filename: string; type: string; content: string }> };
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text. */
  body: any;
  text: string;
}

export async function send(baseUrl: string, method: string, template: string, call: Call = {}, token?: string): Promise<Reply> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    if (value === undefined) throw new Error(`${method} ${template}: no value for the path parameter ${name}`);
    return call.rawPath ? value : encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query ?? {})) for (const one of [value].flat()) query.append(name, one);
  const search = [query.toString(), call.rawQuery].filter(Boolean).join('&');
  const headers: Record<string, string> = { ...call.headers };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  let body: string | FormData | undefined;
  if (call.form) {
    body = new FormData();
    for (const [name, value] of Object.entries(call.form.fields ?? {})) body.append(name, value);
    for (const [name, file] of Object.entries(call.form.files ?? {})) body.append(name, new Blob([file.content], { type: file.type }), file.filename);
  } else if (call.rawBody) {
    headers['Content-Type'] = call.rawBody.contentType;
    body = call.rawBody.text;
  } else if (call.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  try {
    const response = await fetch(`${baseUrl}${path}${search ? `?${search}` : ''}`, { method, headers, body, signal: abort.signal });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      abort.abort(); // an open stream: its status and headers are all we need
      return { status: response.status, headers: response.headers, body: '', text: '' };
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseJson(text), text };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the results keep the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function signToken(claims: object, options: { alg?: string; secret?: string } = {}): string {
  const alg = options.alg ?? 'HS256';
  const unsigned = `${base64url({ alg, typ: 'JWT' })}.${base64url(claims)}`;
  if (alg === 'none') return `${unsigned}.`;
  const digest = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] as string;
  return `${unsigned}.${createHmac(digest, options.secret ?? JWT_SECRET).update(unsigned).digest('base64url')}`;
}

export function claimsOf(token: string): Record<string, unknown> & { sub: string; sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/**
 * Tokens that must not work, each forged from a valid one so that only the named defect is wrong.
 * `dead` adds the real tokens of a deactivated user and of a logged-out session.
 */
export function badTokens(valid: string, otherUserId: string, dead: { deactivated: string; loggedOut: string }): Record<string, string | undefined> {
  const claims = claimsOf(valid);
  const [header, payload, signature] = valid.split('.');
  // The first character: the last one of a base64url HMAC also holds padding bits that decoders ignore.
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  const now = Math.floor(Date.now() / 1000);
  return {
    'no token': undefined,
    'a malformed token': 'not-a-jwt',
    'an expired token': signToken({ ...claims, iat: now - 7200, exp: now - 3600 }),
    // Without exp a token would be good forever: a leaked one could never age out.
    'a token without expiry': signToken({ ...claims, exp: undefined }),
    'a tampered signature': `${header}.${payload}.${flipped}`,
    'a tampered payload': `${header}.${base64url({ ...claims, sub: otherUserId })}.${signature}`,
    'alg none': signToken(claims, { alg: 'none' }),
    'HS512 instead of HS256': signToken(claims, { alg: 'HS512' }),
    'another key': signToken(claims, { secret: 'another-secret-0123456789-0123456789-0123' }),
    'a refresh-type token': signToken({ ...claims, typ: 'refresh' }),
    "a deactivated user's token": dead.deactivated,
    "a logged-out session's token": dead.loggedOut,
  };
}

function base64url(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}
