// Major incidents as the console follows them (support and admin): the incident events of the staff stream
// say "look again", and one read after a burst covers it — confirming an incident writes an event on each
// of its tickets.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessages, type FieldErrors, fieldErrors, type Schemas } from './api/client';
import { type LiveEvent, type LiveState, useLiveEvents } from './live';

export type Incident = Schemas['IncidentDto'];
export type IncidentDetail = Schemas['IncidentDetailDto'];
export type IncidentStatus = Incident['status'];

/** A burst of events (one per ticket of the incident) is read once, this long after its first event. */
const READ_AGAIN_AFTER_MS = 500;

export function isIncidentEvent(event: LiveEvent): boolean {
  return event.type.startsWith('incident_');
}

/** Follows the staff stream: `readAgain` once after each burst of the events `concerns` picks. */
export function useReadAgainOn(concerns: (event: LiveEvent) => boolean, readAgain: () => void): LiveState {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(readAgain);
  latest.current = readAgain;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useLiveEvents(null, (event) => {
    if (!concerns(event) || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, READ_AGAIN_AFTER_MS);
  });
}

/** The incidents of these statuses (newest first), kept current from the stream; null until first read. */
export function useIncidents(statuses: IncidentStatus[]): { incidents: Incident[] | null; errors: string[]; live: LiveState } {
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const key = statuses.join(',');
  // Only the latest read's answer counts (a filter changed, or a burst came, while one was on its way).
  const reads = useRef(0);
  const read = async () => {
    const asked = ++reads.current;
    const { data, error } = await api.GET('/api/v1/incidents', { params: { query: statuses.length ? { status: key } : {} } });
    if (asked !== reads.current) return;
    if (!data) return setErrors(errorMessages(error));
    setErrors([]);
    setIncidents(data.incidents);
  };
  useEffect(() => {
    setIncidents(null);
    void read();
  }, [key]);
  const live = useReadAgainOn(isIncidentEvent, () => void read());
  return { incidents, errors, live };
}

/** "1 person", "5 people". */
export function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

const NO_PROBLEMS: FieldErrors = { byField: {}, other: [] };

/**
 * One command on an incident (confirm, link, post an update…): every command answers with the incident as
 * it left it, and a refusal's messages are sorted under the form's `fields`, the rest above the form.
 */
export function useIncidentCommand(fields: readonly string[], onDone: (incident: IncidentDetail) => void) {
  const [problems, setProblems] = useState<FieldErrors>(NO_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<{ data?: IncidentDetail; error?: unknown }>): Promise<boolean> => {
    setBusy(true);
    setProblems(NO_PROBLEMS);
    const { data, error } = await call();
    setBusy(false);
    if (!data) return setProblems(fieldErrors(error, fields)), false;
    onDone(data);
    return true;
  };
  return { problems, busy, run };
}
