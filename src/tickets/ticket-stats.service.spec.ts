import { Role } from '../users/role.enum';
import { TicketStatsRepository } from './ticket-stats.repository';
import { TicketStatsService } from './ticket-stats.service';
import { TicketPriority, TicketStatus } from './ticket.enums';

/** Answers each query with what a test sets, and notes what it was asked. */
class FakeStatsRepository {
  byStatus: Awaited<ReturnType<TicketStatsRepository['countByStatus']>> = [];
  filed: Awaited<ReturnType<TicketStatsRepository['countFiledPerDay']>> = [];
  resolutions: Awaited<ReturnType<TicketStatsRepository['findResolutionsSince']>> = { resolved: 0, assistantResolved: 0, medianSeconds: null, p90Seconds: null, buckets: [] };
  waiting: Awaited<ReturnType<TicketStatsRepository['findApprovalsWaiting']>> = { count: 0, oldestSeconds: null, buckets: [], oldest: [] };

  countByStatus = jest.fn(async () => this.byStatus);
  countFiledPerDay = jest.fn(async (_since: Date) => this.filed);
  findResolutionsSince = jest.fn(async (_since: Date, _bounds: readonly number[], _roles: readonly Role[]) => this.resolutions);
  findApprovalsWaiting = jest.fn(async (_now: Date, _bounds: readonly number[], _limit: number) => this.waiting);
  countAbsorbedByIncidents = jest.fn(async (_since: Date) => 0);
}

describe(TicketStatsService.name, () => {
  let sut: TicketStatsService;
  let repository: FakeStatsRepository;
  const now = new Date('2026-01-02T00:30:00.000Z');

  beforeEach(() => {
    jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate'] });
    repository = new FakeStatsRepository();
    sut = new TicketStatsService(repository as unknown as TicketStatsRepository);
  });
  afterEach(() => jest.useRealTimers());

  it('ends the window with today’s UTC day and starts it at midnight UTC, days - 1 days before, across a year’s end', async () => {
    repository.filed = [{ date: '2025-12-31', count: 4 }, { date: '2026-01-02', count: 1 }];
    const stats = await sut.stats(3);
    expect(stats.window_days).toBe(3);
    expect(stats.generated_at).toBe(now.toISOString());
    expect(stats.created_per_day).toEqual([
      { date: '2025-12-31', count: 4 },
      { date: '2026-01-01', count: 0 },
      { date: '2026-01-02', count: 1 },
    ]);
    const since = new Date('2025-12-31T00:00:00.000Z');
    expect(repository.countFiledPerDay).toHaveBeenCalledWith(since);
    expect(repository.findResolutionsSince).toHaveBeenCalledWith(since, [3600, 14400, 86400, 259200], [Role.Support, Role.Admin]);
    expect(repository.findApprovalsWaiting).toHaveBeenCalledWith(now, [3600, 14400, 86400], 10);
  });

  it('lists every status in the enum’s order and every bucket by its label, with zeros where nothing was counted', async () => {
    repository.byStatus = [{ status: TicketStatus.Resolved, count: 2 }, { status: TicketStatus.Pending, count: 5 }];
    repository.resolutions = { resolved: 4, assistantResolved: 1, medianSeconds: 90, p90Seconds: 4000, buckets: [{ bucket: 4, count: 1 }, { bucket: 0, count: 3 }] };
    repository.waiting = {
      count: 2,
      oldestSeconds: 90000,
      buckets: [{ bucket: 3, count: 1 }, { bucket: 1, count: 1 }],
      oldest: [{ id: 't1', title: 'VPN', priority: TicketPriority.High, requesterId: 'u1', waitingSeconds: 90000 }],
    };
    const stats = await sut.stats(30);
    expect(stats.by_status.map((row) => row.status)).toEqual(Object.values(TicketStatus));
    expect(stats.by_status.filter((row) => row.count > 0)).toEqual([{ status: 'pending', count: 5 }, { status: 'resolved', count: 2 }]);
    expect(stats.resolution).toEqual({
      resolved: 4,
      assistant_resolved: 1,
      assistant_share: 0.25,
      median_seconds: 90,
      p90_seconds: 4000,
      buckets: [
        { label: '< 1 h', count: 3 },
        { label: '1–4 h', count: 0 },
        { label: '4–24 h', count: 0 },
        { label: '1–3 days', count: 0 },
        { label: '> 3 days', count: 1 },
      ],
    });
    expect(stats.approvals_waiting).toEqual({
      count: 2,
      oldest_seconds: 90000,
      age_buckets: [
        { label: '< 1 h', count: 0 },
        { label: '1–4 h', count: 1 },
        { label: '4–24 h', count: 0 },
        { label: '> 1 day', count: 1 },
      ],
      tickets: [{ ticket_id: 't1', title: 'VPN', priority: 'high', requester_id: 'u1', waiting_seconds: 90000 }],
    });
  });

  it('gives no share or percentiles when nothing was resolved in the window, and no oldest when nothing waits', async () => {
    const stats = await sut.stats(1);
    expect(stats.created_per_day).toEqual([{ date: '2026-01-02', count: 0 }]);
    expect(stats.resolution).toMatchObject({ resolved: 0, assistant_resolved: 0, assistant_share: null, median_seconds: null, p90_seconds: null });
    expect(stats.resolution.buckets.every((bucket) => bucket.count === 0)).toBe(true);
    expect(stats.approvals_waiting).toMatchObject({ count: 0, oldest_seconds: null, tickets: [] });
  });
});
