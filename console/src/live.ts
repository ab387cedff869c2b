// Live changes over the event stream. EventSource cannot send headers, so the access token travels as
// ?access_token=; the browser resumes a dropped connection with Last-Event-ID itself, and when the API
// closes the stream (the token expired, the role changed) we reopen it with a fresh token and
// ?last_event_id= — either way nothing is missed and nothing arrives twice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api/client';
import { session } from './session';

/** One event as the stream sends it: the ticket event's payload, flattened, with its envelope. */
export interface LiveEvent {
  type: string;
  ticket_id: string | null;
  event_id?: string;
  actor_id?: string | null;
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
]);

export function useLiveEvents(ticketId: string | null, onEvent: (event: LiveEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    const open = async () => {
      const token = await session.freshAccessToken();
      if (stopped || !token) return;
      const url = new URL(ticketId ? `/api/v1/events/${ticketId}` : '/api/v1/events', location.origin);
      url.searchParams.set('access_token', token);
      if (lastEventId) url.searchParams.set('last_event_id', lastEventId);
      source = new EventSource(url);
      source.onopen = () => {
        attempts = 0;
        setState('live');
      };
      source.onmessage = (message) => {
        if (message.lastEventId) lastEventId = message.lastEventId;
        const event = JSON.parse(message.data) as LiveEvent;
        if (event.type === 'stream_closed') return reopen(0);
        if (TICKET_EVENT_TYPES.has(event.type)) handler.current(event);
      };
      source.onerror = () => {
        setState('reconnecting');
        // CONNECTING: the browser retries by itself (with Last-Event-ID). CLOSED: it gave up (401, 429…);
        // asking who we are ends the session if the API no longer knows us, else we retry, backing off.
        if (source?.readyState === EventSource.CLOSED) {
          void api.GET('/api/v1/users/me');
          reopen(Math.min(30_000, 1000 * 2 ** attempts++));
        }
      };
    };
    const reopen = (delayMs: number) => {
      source?.close();
      source = null;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void open(), delayMs);
    };

    void open();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [ticketId]);

  return state;
}
