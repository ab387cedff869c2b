import { ConflictException } from '@nestjs/common';
import { ApprovalSettledError } from './approval-errors';
import { defaultApprovalSettings } from '../sla/dto/approval-settings.dto';
import type { ApprovalRow } from './approvals.repository';
import { approvalPlan, planHash } from './approval-plan';
import { ApprovalDecision, ApprovalsService } from './approvals.service';

const request = (overrides: Partial<ApprovalRow> = {}): ApprovalRow => ({
  id: 'a1',
  ticket_id: 't1',
  pending_id: 'interrupt-1',
  state: 'pending',
  plan: { summary: 'Grant', steps: [], request_type: 'software_access', priority: 'high', business_justification: null },
  plan_hash: 'f'.repeat(64),
  policy_id: null,
  policy_version: null,
  on_expiry: 'escalate',
  requested_at: new Date('2026-12-01T09:00:00Z'),
  due_at: new Date('2026-12-01T17:00:00Z'),
  reminder_times: [],
  reminders_sent: 0,
  next_timer_at: null,
  decided_at: null,
  decided_by: null,
  ...overrides,
});

const decision = (overrides: Partial<ApprovalDecision> = {}): ApprovalDecision => ({
  pendingId: 'interrupt-1',
  approval: true,
  responderId: 'u1',
  expired: false,
  ...overrides,
});

function build(latest: ApprovalRow | null, settles = true, ticket: Record<string, unknown> | null = null) {
  const settled: unknown[][] = [];
  const repository = {
    // The statement's conditions: the latest request, still pending, for the plan given (when given).
    settleLatestFor: async (_ticketId: string, _pendingId: string, given: { state: string; decidedBy: string | null; onlyIfDue: boolean; planHash: string | null }) => {
      if (!latest) return null;
      const applies = settles && latest.state === 'pending' && (given.planHash === null || given.planHash === latest.plan_hash);
      if (applies) settled.push([latest.id, given.state, given.decidedBy, given.onlyIfDue]);
      return { request: latest, settled: applies };
    },
  };
  const policy = { policy_id: 'p1', version: 3, approvals: { ...defaultApprovalSettings(), request_types: { password_reset: { due: 'PT1H', reminders: [], on_expiry: 'approve', low_risk: true } } } };
  const slaPoliciesRepository = { findDefaultPolicy: async () => policy };
  const none = {} as never;
  const ticketsService = { findById: async () => ticket };
  const sut = new ApprovalsService(repository as never, slaPoliciesRepository as never, none, ticketsService as never, none, none);
  return { sut, settled };
}

describe(ApprovalsService.name, () => {
  describe('settle', () => {
    it('moves the open request to approved, denied or expired, with who decided', async () => {
      const { sut, settled } = build(request());
      await sut.settle('t1', decision(), 'f'.repeat(64));
      await sut.settle('t1', decision({ approval: false }), undefined);
      await sut.settle('t1', decision({ approval: null, expired: true, responderId: null }), undefined);
      expect(settled).toEqual([
        ['a1', 'approved', 'u1', false],
        ['a1', 'denied', 'u1', false],
        ['a1', 'expired', null, true],
      ]);
    });

    it('refuses with 409 a request settled already, naming how', async () => {
      const { sut, settled } = build(request({ state: 'expired', decided_at: new Date('2026-12-01T17:00:01Z') }));
      await expect(sut.settle('t1', decision(), undefined)).rejects.toThrow(new ApprovalSettledError('This approval request was expired at 2026-12-01T17:00:01.000Z: nothing was changed'));
      expect(settled).toEqual([]);
    });

    it('refuses with 409 an approval of a plan other than the current one, naming the current request', async () => {
      const { sut, settled } = build(request());
      await expect(sut.settle('t1', decision(), 'e'.repeat(64))).rejects.toThrow(/approval request a1 is for the current plan \(plan_hash f{64}\)/);
      expect(settled).toEqual([]);
    });

    it('refuses with 409 a decision on a request whose ticket changed its plan since, before the request is raised again', async () => {
      const ticket = { title: 'Grant', plan_summary: 'Grant', request_type: 'software_access', priority: 'high', business_justification: null };
      const current = planHash(approvalPlan(ticket as never, []));
      const { sut: unchanged, settled } = build(request({ plan_hash: current }), true, ticket);
      await unchanged.settle('t1', decision(), current);
      expect(settled).toHaveLength(1);
      // Refused after the statement settled it: the throw rolls the caller's transaction back.
      const { sut: changed } = build(request({ plan_hash: current }), true, { ...ticket, priority: 'critical' });
      await expect(changed.settle('t1', decision(), current)).rejects.toThrow(/The plan changed since approval request a1 was raised/);
    });

    it('refuses with 409 when the compare-and-set finds it settled a moment ago', async () => {
      const { sut } = build(request(), false);
      await expect(sut.settle('t1', decision(), undefined)).rejects.toBeInstanceOf(ApprovalSettledError);
    });

    it('lets a decision through for a pause raised before approvals had requests', async () => {
      const { sut, settled } = build(null);
      await sut.settle('t1', decision(), undefined);
      expect(settled).toEqual([]);
    });
  });

  describe('delegate', () => {
    const support = { id: 'giver', role: 'support' } as never;
    const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000);

    function delegations(open: number, reverse: { id: string; starts_at: Date; ends_at: Date } | null = null) {
      const calls: string[] = [];
      const repository = {
        lockDelegationsOf: async (ids: string[]) => void calls.push(`lock ${ids.join(',')}`),
        countOpenDelegationsFrom: async () => (calls.push('count'), open),
        findOverlappingDelegation: async (from: string, to: string) => (calls.push(`overlap ${from}->${to}`), reverse),
        insertDelegation: async (row: Record<string, unknown>) => (calls.push('insert'), { id: 'd1', created_at: new Date(), ...row }),
      };
      const users = { findActive: async (id: string) => ({ id, role: 'support' }) };
      const none = {} as never;
      const sut = new ApprovalsService(repository as never, none, none, none, none, users as never);
      return { sut, calls };
    }

    it('takes a delegation starting now or later, after the delegator’s count and the reverse direction are checked under a lock', async () => {
      const { sut, calls } = delegations(9);
      await expect(sut.delegate(support, { delegate_id: 'taker', starts_at: new Date(Date.now() - 30_000), ends_at: inHours(1) })).resolves.toMatchObject({ delegation_id: 'd1' });
      expect(calls).toEqual(['lock giver,taker', 'count', 'overlap taker->giver', 'insert']);
    });

    it('refuses a start more than a minute in the past with 400', async () => {
      const { sut, calls } = delegations(0);
      await expect(sut.delegate(support, { delegate_id: 'taker', starts_at: new Date(Date.now() - 5 * 60_000), ends_at: inHours(1) })).rejects.toThrow(/starts_at must not be in the past/);
      expect(calls).toEqual([]);
    });

    it('refuses an eleventh delegation not yet ended, and one overlapping a delegation back, with 409', async () => {
      await expect(delegations(10).sut.delegate(support, { delegate_id: 'taker', ends_at: inHours(1) })).rejects.toThrow(/You have 10 delegations that have not ended/);
      const back = { id: 'd0', starts_at: inHours(0), ends_at: inHours(2) };
      const cycle = delegations(0, back);
      await expect(cycle.sut.delegate(support, { delegate_id: 'taker', ends_at: inHours(1) })).rejects.toThrow(ConflictException);
      expect(cycle.calls).not.toContain('insert');
    });
  });

  it('takes a request type’s own rules, else the default ones', async () => {
    const { sut } = build(null);
    await expect(sut.rulesFor('password_reset')).resolves.toMatchObject({ rules: { due: 'PT1H', on_expiry: 'approve', low_risk: true } });
    await expect(sut.rulesFor('software_access')).resolves.toMatchObject({ rules: { due: 'PT8H', reminders: ['PT4H'], on_expiry: 'escalate' } });
  });
});
