// A real SSE client (the `eventsource` package, as a browser's EventSource behaves) for the e2e tests.
import { EventSource } from 'eventsource';

export interface StreamMessage {
  id: string;
  /** The SSE `event:` name; "message" when none was sent. */
  event: string;
  data: Record<string, unknown> & { type: string };
  /** When the client got it (ms since the epoch). */
  receivedAt?: number;
}

export interface TestStream {
  messages: StreamMessage[];
  /** Resolves with the first message (from the start) matching `predicate`, or rejects after `timeoutMs`. */
  waitFor(predicate: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

export async function openStream(
  url: string,
  options: { token?: string; tokenInQuery?: boolean; lastEventId?: string } = {},
): Promise<TestStream> {
  const target = new URL(url);
  if (options.token && options.tokenInQuery) target.searchParams.set('access_token', options.token);
  const headers: Record<string, string> = {};
  if (options.token && !options.tokenInQuery) headers.Authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  const source = new EventSource(target, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
  });
  source.onmessage = (message) => {
    messages.push({ id: message.lastEventId, event: message.type, data: JSON.parse(message.data), receivedAt: Date.now() });
    waiters.forEach((wake) => wake());
  };
  await new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => {
      source.close();
      reject(new Error(`stream failed: ${error.code ?? ''} ${error.message ?? ''}`));
    };
  });
  source.onerror = null;
  return {
    messages,
    close: () => source.close(),
    waitFor: (predicate, timeoutMs) => waitForMessage(messages, waiters, () => false, predicate, timeoutMs),
  };
}

/** The first message (from the start) matching `predicate`; rejects after `timeoutMs`, or once `ended()` says no more will come. */
function waitForMessage(
  messages: StreamMessage[],
  waiters: Set<() => void>,
  ended: () => boolean,
  predicate: (message: StreamMessage) => boolean,
  timeoutMs = 30_000,
): Promise<StreamMessage> {
  const got = () => JSON.stringify(messages.map((m) => m.data.type));
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      waiters.delete(check);
      outcome();
    };
    const check = () => {
      const found = messages.find(predicate);
      if (found) settle(() => resolve(found));
      else if (ended()) settle(() => reject(new Error(`the stream ended without a matching message; got ${got()}`)));
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${got()}`))), timeoutMs);
    waiters.add(check);
    check();
  });
}

/** The HTTP status a stream request is answered with (for the refusals, which never open a stream). */
export async function streamStatus(url: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body };
}

export interface RawStream {
  status: number;
  headers: Headers;
  messages: StreamMessage[];
  /** Resolves when the server ends the response (an EventSource would then try to reconnect). */
  ended: Promise<void>;
  waitFor(predicate: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/**
 * One SSE response read to its end, without reconnecting: for the tests that watch the server end a
 * stream. A refused stream (4xx) resolves too, with its status and an already-ended body.
 */
export async function openRawStream(url: string, options: { token?: string; tokenInQuery?: boolean; lastEventId?: string } = {}): Promise<RawStream> {
  const target = new URL(url);
  if (options.token && options.tokenInQuery) target.searchParams.set('access_token', options.token);
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (options.token && !options.tokenInQuery) headers.Authorization = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
  const abort = new AbortController();
  const response = await fetch(target, { headers, signal: abort.signal });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body ?? []) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
          if (fields.data === undefined) continue;
          messages.push({ id: fields.id ?? '', event: fields.event ?? 'message', data: response.ok ? JSON.parse(fields.data) : { type: 'error' } });
          waiters.forEach((wake) => wake());
        }
      }
    } catch {
      // aborted by close()
    }
    done = true;
    waiters.forEach((wake) => wake());
  })();
  return {
    status: response.status,
    headers: response.headers,
    messages,
    ended,
    close: () => abort.abort(),
    waitFor: (predicate, timeoutMs) => waitForMessage(messages, waiters, () => done, predicate, timeoutMs),
  };
}
