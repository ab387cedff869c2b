import { duration, EventInContext, notificationsFor } from './notification-rules';

const REQUESTER = 'requester-1';
const ANA = 'ana-1';
const BEN = 'ben-1';

function event(overrides: Partial<EventInContext>): EventInContext {
  return {
    eventId: '7',
    ticketId: 'ticket-1',
    type: 'workflow_update',
    actorId: null,
    actorName: null,
    staffOnly: false,
    payload: {},
    createdAt: new Date('2026-12-07T10:00:00Z'),
    ticketTitle: 'VPN drops',
    requesterId: REQUESTER,
    assigneeId: null,
    assigneeName: null,
    delegateIds: [],
    approverPool: [],
    ...overrides,
  };
}
const told = (input: EventInContext) => notificationsFor(input).map(({ recipientId, kind, text }) => ({ recipientId, kind, text }));

describe('notificationsFor', () => {
  it('tells the new assignee who assigned the ticket, but not someone who took it themselves', () => {
    const assignment = { type: 'workflow_update', payload: { changes: { assignee_id: { from: null, to: ANA } } } };
    expect(told(event({ ...assignment, actorId: BEN, actorName: 'Ben Okafor' }))).toEqual([{ recipientId: ANA, kind: 'ticket_assigned', text: 'Ben Okafor assigned “VPN drops” to you' }]);
    expect(told(event({ ...assignment, actorId: ANA, actorName: 'Ana Silva' }))).toEqual([]);
  });

  it('tells the requester their request was resolved, unless they did it; steps on the way are not told', () => {
    const resolved = { payload: { changes: { status: { from: 'in_progress', to: 'resolved' } } } };
    expect(told(event(resolved))).toEqual([{ recipientId: REQUESTER, kind: 'status_changed', text: 'Your request “VPN drops” was resolved' }]);
    expect(told(event({ ...resolved, actorId: REQUESTER }))).toEqual([]);
    expect(told(event({ payload: { changes: { status: { from: 'pending', to: 'in_progress' } } } }))).toEqual([]);
  });

  it('does not tell a denial twice: an approver’s denial was told by the decision', () => {
    expect(told(event({ payload: { step: 'deny', changes: { status: { from: 'in_progress', to: 'denied' } } } }))).toEqual([]);
    expect(told(event({ type: 'hil_response', actorId: ANA, actorName: 'Ana Silva', payload: { kind: 'approval', approval: false, expired: false } }))).toEqual([
      { recipientId: REQUESTER, kind: 'approval_decision', text: 'Ana Silva denied your request “VPN drops”' },
    ]);
  });

  it('never gives the requester a staff-only event, even one that would otherwise name them', () => {
    const note = event({ type: 'comment', staffOnly: true, actorId: ANA, actorName: 'Ana Silva', assigneeId: BEN, payload: { body: 'internal' } });
    expect(told(note)).toEqual([{ recipientId: BEN, kind: 'comment', text: 'Ana Silva added an internal note on “VPN drops”: “internal”' }]);
    // A staff-only workflow_update (an AI suggestion) with a status change still tells the requester nothing.
    expect(told(event({ staffOnly: true, payload: { changes: { status: { from: 'in_progress', to: 'resolved' } } } }))).toEqual([]);
  });

  it('tells the approver and their delegates of an approval, the shared queue when nobody has the ticket, never the requester', () => {
    const requested = { type: 'approval_requested', staffOnly: true, payload: {} };
    expect(told(event({ ...requested, assigneeId: ANA, assigneeName: 'Ana Silva', delegateIds: [BEN] })).map((n) => n.recipientId)).toEqual([ANA, BEN]);
    expect(told(event({ ...requested, approverPool: [ANA, BEN, REQUESTER] })).map((n) => n.recipientId)).toEqual([ANA, BEN]);
  });

  it('tells only the assignee of a service level at risk, in plain time', () => {
    const warning = { type: 'sla_warning', staffOnly: true, payload: { metric: 'first_response', seconds_left: 5400 } };
    expect(told(event({ ...warning, assigneeId: ANA }))).toEqual([{ recipientId: ANA, kind: 'sla_warning', text: '“VPN drops” will miss its first response target in 2 hours' }]);
    expect(told(event(warning))).toEqual([]);
    expect([duration(30), duration(3599), duration(7200), duration(3 * 86400)]).toEqual(['1 minute', '60 minutes', '2 hours', '3 days']);
  });

  it('quotes a long comment shortened, once per person', () => {
    const long = 'word '.repeat(100);
    const [notice] = notificationsFor(event({ type: 'comment', actorId: ANA, actorName: 'Ana Silva', assigneeId: REQUESTER, payload: { body: long } }));
    expect(notificationsFor(event({ type: 'comment', actorId: ANA, actorName: 'Ana Silva', assigneeId: REQUESTER, payload: { body: long } }))).toHaveLength(1);
    expect(notice.text.length).toBeLessThan(250);
    expect(notice.text.endsWith('…”')).toBe(true);
  });
});
