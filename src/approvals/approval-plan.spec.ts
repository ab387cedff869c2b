import type { TicketDto } from '../tickets/dto/ticket.dto';
import { approvalPlan, planHash } from './approval-plan';

const ticket = (overrides: Partial<TicketDto> = {}) =>
  ({
    title: 'Request for Admin Access',
    plan_summary: 'Grant software access as requested once approved.',
    request_type: 'software_access',
    priority: 'high',
    business_justification: 'Required for quarterly review',
    ...overrides,
  }) as TicketDto;

describe('approval plan', () => {
  const steps = ['Check the licence pool', 'Add the account to the group'];

  it('hashes equal plans equally, as 64 hex digits', () => {
    const hash = planHash(approvalPlan(ticket(), steps));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(planHash(approvalPlan(ticket(), [...steps]))).toBe(hash);
  });

  it.each([
    ['the plan text', { plan_summary: 'Grant software access for 30 days.' }, steps],
    ['the priority it rests on', { priority: 'critical' }, steps],
    ['the justification', { business_justification: 'Audit' }, steps],
    ['the request type', { request_type: 'account_access' }, steps],
    ['the order of its steps', {}, [...steps].reverse()],
    ['a step', {}, [steps[0]]],
  ] as const)('changes with %s', (_, overrides, changedSteps) => {
    expect(planHash(approvalPlan(ticket(overrides as Partial<TicketDto>), changedSteps))).not.toBe(planHash(approvalPlan(ticket(), steps)));
  });

  it('keeps the title as the summary of a ticket with no plan text yet', () => {
    expect(approvalPlan(ticket({ plan_summary: null }), []).summary).toBe('Request for Admin Access');
  });

  it('tells a field moved into another apart (no ambiguous joining)', () => {
    expect(planHash(approvalPlan(ticket({ business_justification: null }), ['a', 'b']))).not.toBe(planHash(approvalPlan(ticket({ business_justification: null }), ['a,b'])));
  });
});
