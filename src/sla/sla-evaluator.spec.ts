import { Logger } from '@nestjs/common';
import { DEFAULT_APPROVAL_SETTINGS } from './dto/approval-settings.dto';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { TicketPriority, TicketStatus } from '../tickets/ticket.enums';
import { Role } from '../users/role.enum';
import { SlaEvaluator } from './sla-evaluator';
import type { CalendarRow, PolicyRow, SlaPoliciesRepository } from './sla-policies.repository';
import type { TicketSlaRepository, TicketSlaRow, TicketTrail, TimerKind } from './ticket-sla.repository';

const TICKET = '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10';
const weekday = [{ start: '09:00', end: '17:00' }];
const OFFICE: CalendarRow = {
  id: 'c1',
  name: 'Office',
  time_zone: 'UTC',
  working_hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
  holidays: [],
  created_at: new Date('2026-01-01T00:00:00Z'),
  updated_at: new Date('2026-01-01T00:00:00Z'),
};

function policy(targets: Record<'first_response' | 'resolution', string>, calendarId: string | null): PolicyRow {
  return {
    policy_id: 'p1',
    version: 1,
    name: 'Test',
    calendar_id: calendarId,
    targets: { critical: targets, high: targets, medium: targets, low: targets },
    pause_statuses: [TicketStatus.WaitingForUser, TicketStatus.WaitingForApproval],
    stop_statuses: [TicketStatus.Resolved, TicketStatus.Denied],
    warning_thresholds: [0.5, 0.8],
    first_response: ['staff_comment'],
    approvals: DEFAULT_APPROVAL_SETTINGS,
    is_current: true,
    is_default: true,
    created_at: new Date('2026-01-01T00:00:00Z'),
  };
}

/** The configuration as the evaluator reads it: one default policy, one calendar. */
class FakeSlaPoliciesRepository {
  constructor(
    private readonly activePolicy: PolicyRow,
    private readonly calendar: CalendarRow,
  ) {}

  findDefaultPolicy = async () => this.activePolicy;
  findCalendar = async (id: string) => (id === this.calendar.id ? this.calendar : null);
}

/** A ticket's stored service levels as the evaluator uses them, in memory: timers keyed as the unique index keys them. */
class FakeTicketSlaRepository {
  timers = new Map<string, { dueAt: Date; firedAt: Date | null }>();
  rows = new Map<string, TicketSlaRow>();
  summary: { state: string; dueAt: Date | null } | null = null;

  constructor(
    private readonly activePolicy: PolicyRow,
    private readonly trail: TicketTrail,
    private readonly calendar: CalendarRow,
  ) {}

  findTicketTrail = async () => ({
    ...this.trail,
    stored: [...this.rows.values()],
    policy: this.activePolicy,
    calendar: this.activePolicy.calendar_id === this.calendar.id ? this.calendar : null,
  });
  saveUnknown = async () => {
    this.summary = { state: 'unknown', dueAt: null };
    for (const [key, timer] of this.timers) if (!timer.firedAt) this.timers.delete(key);
  };
  saveEvaluation = async (_id: string, rows: TicketSlaRow[], state: string, dueAt: Date | null, due: Array<{ metric: string; kind: TimerKind; threshold: number; at: Date }>) => {
    for (const row of rows) this.rows.set(row.metric, row);
    this.summary = { state, dueAt };
    this.replaceTimers(due);
  };
  fireOnce = async (_id: string, metric: string, kind: TimerKind, threshold: number, dueAt: Date) => {
    const key = `${metric}:${kind}:${threshold}`;
    if (this.timers.get(key)?.firedAt) return false;
    this.timers.set(key, { dueAt, firedAt: new Date() });
    return true;
  };
  private replaceTimers(due: Array<{ metric: string; kind: TimerKind; threshold: number; at: Date }>): void {
    const key = (timer: { metric: string; kind: string; threshold: number }) => `${timer.metric}:${timer.kind}:${timer.threshold}`;
    for (const [existing, timer] of this.timers) if (!timer.firedAt && !due.some((next) => key(next) === existing)) this.timers.delete(existing);
    for (const next of due) if (!this.timers.get(key(next))?.firedAt) this.timers.set(key(next), { dueAt: next.at, firedAt: null });
  }
  pending(): Record<string, string> {
    return Object.fromEntries([...this.timers].filter(([, timer]) => !timer.firedAt).map(([key, timer]) => [key, timer.dueAt.toISOString()]));
  }
}

function setUp(activePolicy: PolicyRow, filedAt: string, moves: Array<{ at: string; to: TicketStatus }> = [], calendar: CalendarRow = OFFICE) {
  const trail: TicketTrail = {
    ticket: { id: TICKET, priority: TicketPriority.Medium, status: moves.at(-1)?.to ?? TicketStatus.Pending, requester_id: 'u1', created_at: new Date(filedAt) },
    events: [
      { at: new Date(filedAt), type: 'workflow_update', actorId: 'u1', actorRole: Role.User, payload: { change: 'created', status: 'pending' } },
      ...moves.map((move) => ({ at: new Date(move.at), type: 'workflow_update', actorId: 's1', actorRole: Role.Support, payload: { change: 'updated', changes: { status: { to: move.to } } } })),
    ],
  };
  const repository = new FakeTicketSlaRepository(activePolicy, trail, calendar);
  const policies = new FakeSlaPoliciesRepository(activePolicy, calendar);
  const appended: Array<{ type: string; payload: Record<string, unknown> }> = [];
  const writer = { lockIfExists: jest.fn(async () => true), announce: jest.fn(async (_ticketId: string, events: Array<{ type: string; payload: Record<string, unknown> }>) => void appended.push(...events.map(({ type, payload }) => ({ type, payload })))) };
  const evaluator = new SlaEvaluator(policies as unknown as SlaPoliciesRepository, repository as unknown as TicketSlaRepository, writer as unknown as TicketWriter);
  return { evaluator, repository, appended, writer };
}

describe('SlaEvaluator', () => {
  it('waits for the next working instant when a target is reached exactly at the close of the day, instead of a timer due in the past', async () => {
    // Filed Friday 09:00 with 8 working hours: reached at 17:00 exactly, met if resolved then, breached from Monday 09:00.
    const { evaluator, repository, appended } = setUp(policy({ first_response: 'PT8H', resolution: 'PT8H' }, OFFICE.id), '2026-12-04T09:00:00Z');
    await evaluator.evaluate(TICKET, new Date('2026-12-05T10:00:00Z'));
    expect(repository.pending()).toEqual({
      'first_response:breach:1': '2026-12-07T09:00:00.001Z',
      'resolution:breach:1': '2026-12-07T09:00:00.001Z',
    });
    expect(appended.map((event) => event.type)).toEqual(['sla_warning', 'sla_warning', 'sla_warning', 'sla_warning']);
    expect(repository.rows.get('resolution')).toMatchObject({ state: 'running', consumed_seconds: 8 * 3600 });
  });

  it('announces what one look finds crossed in the order it happened, each once however often it looks', async () => {
    const { evaluator, appended, writer } = setUp(policy({ first_response: 'PT40M', resolution: 'PT1H' }, null), '2026-12-03T10:00:00Z');
    const now = new Date('2026-12-03T12:00:00Z');
    await evaluator.evaluate(TICKET, now);
    await evaluator.evaluate(TICKET, new Date(now.getTime() + 60_000));
    expect(appended.map((event) => `${event.type}:${event.payload.metric}:${event.payload.threshold ?? ''}`)).toEqual([
      'sla_warning:first_response:0.5', // 10:20
      'sla_warning:resolution:0.5', // 10:30
      'sla_warning:first_response:0.8', // 10:32
      'sla_breached:first_response:', // 10:40
      'sla_warning:resolution:0.8', // 10:48
      'sla_breached:resolution:', // 11:00
    ]);
    expect(writer.announce.mock.calls.filter(([, events]) => events.length > 0)).toHaveLength(1);
  });

  it('puts a breached open ticket first in the queue (its due time is past) and a paused one last (none)', async () => {
    const breached = setUp(policy({ first_response: 'PT10M', resolution: 'PT1H' }, null), '2026-12-03T10:00:00Z');
    await breached.evaluator.evaluate(TICKET, new Date('2026-12-03T12:00:00Z'));
    expect(breached.repository.summary).toEqual({ state: 'breached', dueAt: new Date('2026-12-03T10:10:00Z') });
    expect(breached.repository.pending()).toEqual({});

    const paused = setUp(policy({ first_response: 'PT10M', resolution: 'PT1H' }, null), '2026-12-03T10:00:00Z', [{ at: '2026-12-03T10:01:00Z', to: TicketStatus.WaitingForUser }]);
    await paused.evaluator.evaluate(TICKET, new Date('2026-12-03T12:00:00Z'));
    expect(paused.repository.summary).toEqual({ state: 'paused', dueAt: null });
    expect(paused.appended.map((event) => event.type)).toEqual(['sla_paused', 'sla_paused']);
    expect(paused.repository.pending()).toEqual({});
  });

  it('marks the service levels unknown, logs why and keeps no timer when the calendar cannot reach a target, instead of failing the write', async () => {
    const sparse: CalendarRow = { ...OFFICE, id: 'c2', name: 'Sparse', working_hours: { mon: [{ start: '00:00', end: '00:01' }] } };
    const { evaluator, repository, appended } = setUp(policy({ first_response: 'PT1H', resolution: 'P365D' }, sparse.id), '2026-12-03T10:00:00Z', [], sparse);
    repository.timers.set('resolution:breach:1', { dueAt: new Date('2027-01-01T00:00:00Z'), firedAt: null });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await expect(evaluator.evaluate(TICKET, new Date('2026-12-03T11:00:00Z'))).resolves.toBeUndefined();
      expect(repository.summary).toEqual({ state: 'unknown', dueAt: null });
      expect(repository.pending()).toEqual({});
      expect(appended).toEqual([]);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0][0]).toBe(
        `The service levels of ticket ${TICKET} are unknown: policy “Test” (version 1) cannot be counted: targets.medium.resolution P365D needs 31536000 s of working time; calendar “Sparse” has only 31320 s in the 3660-day horizon`,
      );
    } finally {
      logged.mockRestore();
    }
  });

  it('counts the change it is called for even when the database clock runs a little ahead of the app', async () => {
    const now = new Date('2026-12-03T10:30:00.000Z');
    const ahead = setUp(policy({ first_response: 'PT2H', resolution: 'PT4H' }, null), '2026-12-03T10:00:00Z', [{ at: '2026-12-03T10:30:00.050Z', to: TicketStatus.WaitingForUser }]);
    await ahead.evaluator.evaluate(TICKET, now);
    expect(ahead.repository.summary).toEqual({ state: 'paused', dueAt: null });
    expect(ahead.repository.rows.get('resolution')).toMatchObject({ state: 'paused', consumed_seconds: 1800 });
  });
});
