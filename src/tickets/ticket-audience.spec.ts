import { randomUUID } from 'node:crypto';
import { Role } from '../users/role.enum';
import { audienceOf, failureEvents, mapTicketFor, REQUESTER_FAILURE_MESSAGE, suggestionEvent, toRequesterView, toStaffView } from './ticket-audience';
import { TicketSuggestion } from './ticket-suggestion';
import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from './ticket.enums';
import { Ticket } from './ticket.entity';

const suggestion: TicketSuggestion = {
  summary: 'Reset the VPN profile from the admin console', steps: ['Open the console', 'Reset the profile'], citations: [],
  confidence: 0.7, provider: 'offline', suggested_at: '2025-01-01T00:00:00.000Z',
};
const ticket = (fields: Partial<Ticket> = {}): Ticket => ({
  id: randomUUID(), title: 'VPN drops', description: 'Hourly', requestType: RequestType.Network, category: TicketCategory.Network,
  priority: TicketPriority.Medium, urgency: TicketUrgency.Normal, businessJustification: null, desiredCompletionDate: null,
  status: TicketStatus.Escalated, decision: 'escalated', planSummary: 'Escalated to the support queue', resolution: null, suggestion,
  nextAction: 'support_queue', requesterId: randomUUID(), employeeId: 'EMP001', assigneeId: null, createdAt: new Date(), updatedAt: new Date(), ...fields,
}) as Ticket;

describe('ticket audience', () => {
  it('shows the requester every field of their ticket but the suggestion, which is not there at all', () => {
    const escalated = ticket();

    const view = toRequesterView(escalated);

    expect(view).not.toHaveProperty('suggestion');
    expect(JSON.stringify(view)).not.toContain('admin console');
    expect({ ...view, suggestion, sla_state: null, sla_due_at: null }).toEqual(toStaffView(escalated));
    expect(view).toMatchObject({ ticket_id: escalated.id, plan_summary: 'Escalated to the support queue', requester_id: escalated.requesterId, employee_id: 'EMP001' });
  });

  it('shows support and admin the suggestion, null until there is one', () => {
    expect(toStaffView(ticket()).suggestion).toEqual(suggestion);
    expect(toStaffView(ticket({ suggestion: null }))).toHaveProperty('suggestion', null);
  });

  it.each([
    [Role.User, 'requester', false],
    [Role.Support, 'staff', true],
    [Role.Admin, 'staff', true],
  ] as const)('maps a ticket for a %s as the %s sees it', (role, audience, seesSuggestion) => {
    expect(audienceOf({ role })).toBe(audience);
    expect(mapTicketFor({ role }, ticket()).hasOwnProperty('suggestion')).toBe(seesSuggestion);
  });

  it('tells a failure twice: the detail to staff only, marked internal, then the plain message to everybody', () => {
    const detail = 'The language model (ollama:llama3.1) failed: connect ECONNREFUSED 10.0.4.2:11434';

    expect(failureEvents(detail)).toEqual([
      { type: 'error', staffOnly: true, payload: { message: detail, internal: true } },
      { type: 'error', staffOnly: false, payload: { message: REQUESTER_FAILURE_MESSAGE } },
    ]);
    expect(REQUESTER_FAILURE_MESSAGE).toBe('The assistant could not finish this request; a member of the support team will take it over.');
  });

  it('keeps at most 2,000 characters of a failure’s detail', () => {
    const [detail] = failureEvents('x'.repeat(5000));
    expect(detail.payload.message).toHaveLength(2000);
  });

  it('writes the suggestion’s workflow_update for staff only', () => {
    expect(suggestionEvent({ status: 'escalated' }, suggestion)).toEqual({
      type: 'workflow_update', staffOnly: true, payload: { status: 'escalated', change: 'suggestion', suggestion },
    });
  });
});
