// The timeline's folding on its own (a plain function, no browser needed): the SLA clocks pause and resume
// together, and the requester reads one line for each such moment; staff keep each clock's detail. A major
// incident's step carries the status change written with it.
import type { TicketEvent } from '../../console/src/api/client';
import { foldClocks, foldedText } from '../../console/src/timeline-folding';

let id = 0;
const event = (type: string, at: string, payload: Record<string, unknown> = {}): TicketEvent =>
  ({ id: String(++id), ticket_id: 't', type, actor_id: null, actor_name: null, timestamp: at, payload }) as TicketEvent;
const toStatus = (status: string, at: string) => event('workflow_update', at, { changes: { status: { from: 'escalated', to: status } } });

describe('The timeline folds the clocks', () => {
  it('shows a pause of both clocks as one entry, saying whom they wait for', () => {
    const entries = foldClocks([
      toStatus('waiting_for_user', '2026-12-07T10:00:00.000Z'),
      event('sla_paused', '2026-12-07T10:00:00.100Z', { metric: 'first_response' }),
      event('sla_paused', '2026-12-07T10:00:00.200Z', { metric: 'resolution' }),
      toStatus('escalated', '2026-12-07T11:00:00.000Z'),
      event('sla_resumed', '2026-12-07T11:00:00.100Z', { metric: 'first_response' }),
      event('sla_resumed', '2026-12-07T11:00:00.100Z', { metric: 'resolution' }),
    ]);
    expect(entries.map((entry) => [entry.event.type, entry.folded.length])).toEqual([
      ['workflow_update', 1], ['sla_paused', 2], ['workflow_update', 1], ['sla_resumed', 2],
    ]);
    expect(foldedText('sla_paused', entries[1].awaiting, false)).toBe('Clocks paused while we wait for you.');
    expect(foldedText('sla_paused', entries[1].awaiting, true)).toBe('Clocks paused while the requester is awaited.');
    expect(foldedText('sla_resumed', entries[3].awaiting, false)).toBe('Clocks running again.');
  });

  it('keeps pauses at different moments, and other events, apart', () => {
    const entries = foldClocks([
      toStatus('waiting_for_approval', '2026-12-07T10:00:00.000Z'),
      event('sla_paused', '2026-12-07T10:00:00.000Z', { metric: 'resolution' }),
      event('sla_paused', '2026-12-07T10:05:00.000Z', { metric: 'first_response' }),
      event('sla_warning', '2026-12-07T10:05:00.000Z', { metric: 'resolution' }),
      event('sla_warning', '2026-12-07T10:05:00.000Z', { metric: 'first_response' }),
    ]);
    expect(entries.map((entry) => entry.folded.length)).toEqual([1, 1, 1, 1, 1]);
    expect(foldedText('sla_paused', entries[1].awaiting, false)).toBe('Clocks paused while an approval is awaited.');
  });

  it('shows a major incident’s step with the status change it made, and its pause as waiting on the known problem', () => {
    const entries = foldClocks([
      event('incident_opened', '2026-12-07T10:00:00.000Z', { incident_id: 'i', message: 'Other people have reported this same problem.' }),
      event('workflow_update', '2026-12-07T10:00:00.000Z', { status: 'escalated', decision: 'incident', step: 'incident', changes: { status: { from: 'in_progress', to: 'escalated' } } }),
      event('sla_paused', '2026-12-07T10:00:00.100Z', { metric: 'first_response' }),
      event('sla_paused', '2026-12-07T10:00:00.100Z', { metric: 'resolution' }),
      event('incident_update', '2026-12-07T10:20:00.000Z', { incident_id: 'i', message: 'The gateway is being restarted.' }),
      event('workflow_update', '2026-12-07T10:40:00.000Z', { status: 'escalated', decision: 'incident', changes: { assignee_id: { from: null, to: 'u' } } }),
    ]);
    expect(entries.map((entry) => [entry.event.type, entry.folded.length, entry.carried?.type ?? null])).toEqual([
      ['incident_opened', 1, 'workflow_update'], ['sla_paused', 2, null], ['incident_update', 1, null], ['workflow_update', 1, null],
    ]);
    expect(foldedText('sla_paused', entries[1].awaiting, false)).toBe('Clocks paused while support works on the known problem.');
    expect(foldedText('sla_paused', entries[1].awaiting, true)).toBe('Clocks paused while a major incident holds the ticket.');
  });
});
