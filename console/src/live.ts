// Live changes over the event stream. EventSource cannot send headers, so the access token travels as
// ?access_token=; the browser resumes a dropped connection with Last-Event-ID itself, and when the API
// closes the stream (the token expired, the role changed) we reopen it with a fresh token and
// ?last_event_id= — either way nothing is missed and nothing arrives twice. The stream of all one's
// tickets is opened once per tab and shared (the screens and the notification bell): a browser opens only
// a few connections to one host, and each stream holds one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api/client';
import { session } from './session';

/** One event as the stream sends it: the ticket event's payload, flattened, with its envelope. */
export interface LiveEvent {
  type: string;
  ticket_id: string | null;
  event_id?: string;
  actor_id?: string | null;
  /** Who, by name as this viewer may read it. */
  actor_name?: string | null;
  timestamp: string;
  status?: string;
  [field: string]: unknown;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const TICKET_EVENT_TYPES = new Set([
  'workflow_update', 'hil_response', 'comment', 'error',
  'sla_warning', 'sla_breached', 'sla_paused', 'sla_resumed', 'sla_met',
  'approval_requested', 'approval_reminder', 'approval_expired',
  'attachment_added', 'attachment_removed',
  'incident_proposed', 'incident_dismissed', 'incident_unlinked', 'incident_opened', 'incident_linked', 'incident_update', 'incident_resolved',
]);

type Listener = (message: LiveEvent) => void;

/** One EventSource, open while anyone listens: every message to every listener, and its state. */
class EventStream {
  state: LiveState = 'connecting';
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private source: EventSource | null = null;
  private lastEventId: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;

  constructor(private readonly ticketId: string | null, private readonly onIdle: () => void) {}

  subscribe(listener: Listener, onState: (state: LiveState) => void): () => void {
    this.listeners.add(listener);
    this.stateListeners.add(onState);
    if (this.listeners.size === 1) void this.open();
    onState(this.state);
    return () => {
      this.listeners.delete(listener);
      this.stateListeners.delete(onState);
      if (this.listeners.size === 0) this.close();
    };
  }

  private setState(state: LiveState): void {
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }

  private async open(): Promise<void> {
    const token = await session.freshAccessToken();
    if (this.listeners.size === 0 || !token) return;
    const url = new URL(this.ticketId ? `/api/v1/events/${this.ticketId}` : '/api/v1/events', location.origin);
    url.searchParams.set('access_token', token);
    if (this.lastEventId) url.searchParams.set('last_event_id', this.lastEventId);
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      this.attempts = 0;
      this.setState('live');
    };
    source.onmessage = (message) => {
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      const event = JSON.parse(message.data) as LiveEvent;
      if (event.type === 'stream_closed') return this.reopen(0);
      this.listeners.forEach((listener) => listener(event));
    };
    source.onerror = () => {
      this.setState('reconnecting');
      // CONNECTING: the browser retries by itself (with Last-Event-ID). CLOSED: it gave up (401, 429…);
      // asking who we are ends the session if the API no longer knows us, else we retry, backing off.
      if (source.readyState === EventSource.CLOSED) {
        void api.GET('/api/v1/users/me');
        this.reopen(Math.min(30_000, 1000 * 2 ** this.attempts++));
      }
    };
  }

  private reopen(delayMs: number): void {
    this.source?.close();
    this.source = null;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), delayMs);
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.setState('connecting');
    this.onIdle();
  }
}

let allTickets: EventStream | null = null;

function streamOf(ticketId: string | null): EventStream {
  if (ticketId) return new EventStream(ticketId, () => undefined);
  allTickets ??= new EventStream(null, () => (allTickets = null));
  return allTickets;
}

/** Every message of the stream (a ticket's, or — `null` — all one's tickets' with one's notifications). */
export function useEventStream(ticketId: string | null, onMessage: Listener): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => streamOf(ticketId).subscribe((event) => handler.current(event), setState), [ticketId]);
  return state;
}

/** The ticket events of the stream. */
export function useLiveEvents(ticketId: string | null, onEvent: Listener): LiveState {
  return useEventStream(ticketId, (event) => {
    if (TICKET_EVENT_TYPES.has(event.type)) onEvent(event);
  });
}
