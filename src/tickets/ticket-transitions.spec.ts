import { allowedNextStatuses, canTransition, FINAL_STATUSES, NEXT_ACTION } from './ticket-transitions';
import { TicketStatus as S } from './ticket.enums';

const STATUSES = Object.values(S);
const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

/** The lifecycle as the product describes it, written out independently of the implementation. */
const EXPECTED: Record<S, S[]> = {
  [S.Pending]: [S.InProgress, S.WaitingForUser, S.WaitingForApproval, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.InProgress]: [S.WaitingForUser, S.WaitingForApproval, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.WaitingForUser]: [S.InProgress, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.WaitingForApproval]: [S.InProgress, S.Resolved, S.Denied, S.Escalated, S.Error],
  [S.Escalated]: [S.InProgress, S.WaitingForUser, S.Resolved, S.Denied],
  [S.Error]: [S.InProgress, S.Escalated, S.Resolved, S.Denied],
  // Escalated: the requester replied after it was resolved.
  [S.Resolved]: [S.InProgress, S.Escalated],
  [S.Denied]: [S.InProgress],
};

describe('ticket transitions', () => {
  it.each(pairs)('decides a move from %s to %s as the lifecycle table says', (from, to) => {
    expect(canTransition(from, to)).toBe(EXPECTED[from].includes(to));
  });

  it.each(STATUSES)('lists for %s exactly the statuses it may move to', (from) => {
    expect([...allowedNextStatuses(from)].sort()).toEqual([...EXPECTED[from]].sort());
    expect(allowedNextStatuses(from).every((to) => canTransition(from, to))).toBe(true);
  });

  it.each(STATUSES)('never lets %s move to itself', (status) => {
    expect(canTransition(status, status)).toBe(false);
    expect(allowedNextStatuses(status)).not.toContain(status);
  });

  it.each(STATUSES)('never sends a %s ticket back to pending', (from) => {
    expect(canTransition(from, S.Pending)).toBe(false);
  });

  it('lets a pending ticket reach every other status', () => {
    expect([...allowedNextStatuses(S.Pending)].sort()).toEqual(STATUSES.filter((status) => status !== S.Pending).sort());
  });

  it('reopens a denied ticket only to in_progress', () => {
    expect(allowedNextStatuses(S.Denied)).toEqual([S.InProgress]);
    expect(STATUSES.filter((to) => canTransition(S.Denied, to))).toEqual([S.InProgress]);
  });

  it('reopens a resolved ticket to in_progress, or into the support queue when its requester replies', () => {
    expect(allowedNextStatuses(S.Resolved)).toEqual([S.InProgress, S.Escalated]);
    expect(STATUSES.filter((to) => canTransition(S.Resolved, to)).sort()).toEqual([S.Escalated, S.InProgress]);
  });

  it('treats resolved, denied and escalated as final, and only those', () => {
    expect([...FINAL_STATUSES].sort()).toEqual([S.Denied, S.Escalated, S.Resolved]);
  });

  it.each(FINAL_STATUSES)('never hands a final %s ticket back to the workflow to wait for an approval or fail', (final) => {
    for (const to of [S.Pending, S.WaitingForApproval, S.Error]) expect(canTransition(final, to)).toBe(false);
  });

  it('lets people ask the requester on an escalated ticket, but never on a closed one', () => {
    expect(canTransition(S.Escalated, S.WaitingForUser)).toBe(true);
    expect(canTransition(S.Resolved, S.WaitingForUser)).toBe(false);
    expect(canTransition(S.Denied, S.WaitingForUser)).toBe(false);
  });

  it.each<[S, string]>([
    [S.Pending, 'workflow_starting'],
    [S.InProgress, 'workflow_in_progress'],
    [S.WaitingForUser, 'awaiting_requester_input'],
    [S.WaitingForApproval, 'awaiting_approval'],
    [S.Resolved, 'none'],
    [S.Denied, 'none'],
    [S.Escalated, 'support_queue'],
    [S.Error, 'support_review'],
  ])('tells a %s ticket that its next action is %s', (status, nextAction) => {
    expect(NEXT_ACTION[status]).toBe(nextAction);
  });

  it('has a next action for every status', () => {
    expect(Object.keys(NEXT_ACTION).sort()).toEqual([...STATUSES].sort());
    expect(STATUSES.every((status) => NEXT_ACTION[status].length > 0)).toBe(true);
  });
});
