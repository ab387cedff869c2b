import { ConflictException } from '@nestjs/common';
import { assertWorkflowStatusesKept, WorkflowHold } from './decision-rights';
import { TicketStatus } from './ticket.enums';

const TICKET = 'ticket-1';
const refusal = (to: TicketStatus, hold: WorkflowHold | null): string | null => {
  try {
    assertWorkflowStatusesKept(TICKET, to, hold);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConflictException);
    return (error as ConflictException).message;
  }
};
const holds: Array<[WorkflowHold | null]> = [[null], [{ state: 'queued', pendingKind: null }], [{ state: 'running', pendingKind: null }], [{ state: 'waiting', pendingKind: 'answer' }], [{ state: 'done', pendingKind: null }]];

describe('a person’s status moves while the workflow may hold the ticket', () => {
  it.each(holds)('always refuses waiting_for_user with 409 naming POST /ask (run: %j)', (hold) => {
    expect(refusal(TicketStatus.WaitingForUser, hold)).toBe(`To ask the requester, use POST /api/v1/workflow/${TICKET}/ask: their answer through POST /hil then reaches the assistant`);
  });

  it.each(holds)('always refuses waiting_for_approval with 409 naming POST /retry (run: %j)', (hold) => {
    expect(refusal(TicketStatus.WaitingForApproval, hold)).toBe(`Only the workflow asks for approval; POST /api/v1/workflow/${TICKET}/retry lets it decide again`);
  });

  it.each<[TicketStatus, WorkflowHold, string]>([
    [TicketStatus.InProgress, { state: 'queued', pendingKind: null }, 'it is queued: wait for it to pause'],
    [TicketStatus.InProgress, { state: 'running', pendingKind: null }, 'it is running: wait for it to pause'],
    [TicketStatus.InProgress, { state: 'waiting', pendingKind: 'approval' }, `it waits for an approval: answer with POST /api/v1/hil/${TICKET}`],
    [TicketStatus.InProgress, { state: 'waiting', pendingKind: 'answer' }, `it waits for the requester: answer with POST /api/v1/hil/${TICKET}`],
    [TicketStatus.Error, { state: 'running', pendingKind: null }, 'it is running: wait for it to pause'],
    [TicketStatus.Pending, { state: 'queued', pendingKind: null }, 'it is queued: wait for it to pause'],
  ])('refuses %s with 409 while the workflow holds the ticket (%j), saying what to do', (to, hold, what) => {
    expect(refusal(to, hold)).toBe(`The workflow holds this ticket, so its status is the workflow's to set (${what}), or close it (resolved, denied, escalated)`);
  });

  it.each<[TicketStatus, WorkflowHold | null]>([
    [TicketStatus.InProgress, { state: 'done', pendingKind: null }],
    [TicketStatus.InProgress, null],
    [TicketStatus.Error, { state: 'failed', pendingKind: null }],
  ])('allows %s once the run is over or when there is none (%j)', (to, hold) => {
    expect(refusal(to, hold)).toBeNull();
  });

  it.each([TicketStatus.Resolved, TicketStatus.Denied, TicketStatus.Escalated])('lets a person close the ticket (%s) even while the workflow holds it', (to) => {
    expect(refusal(to, { state: 'waiting', pendingKind: 'approval' })).toBeNull();
  });
});
