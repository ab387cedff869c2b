import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { LimitsRepository } from './limits.repository';
import { LimitsService } from './limits.service';

/** Counts hits per (user, action, window) as the table's upsert does. */
class FakeLimitsRepository {
  readonly counts = new Map<string, number>();

  hit = jest.fn(async (userId: string, action: string, windowStart: Date) => {
    const key = `${userId}/${action}/${windowStart.toISOString()}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return this.counts.get(key)!;
  });
  purgeBefore = jest.fn(async () => 0);
}

const config = { userLimits: { windowSeconds: 60, requests: 2, hil: 5, uploads: 1 } } as AppConfig;
const at = (iso: string) => new Date(iso);

describe(LimitsService.name, () => {
  let repository: FakeLimitsRepository;
  let sut: LimitsService;

  beforeEach(() => {
    repository = new FakeLimitsRepository();
    sut = new LimitsService(repository as unknown as LimitsRepository, config, { schedule: jest.fn() } as unknown as MaintenanceJobs);
  });

  it('allows the limit within a window, then refuses with 429 and the seconds left in the window', async () => {
    await sut.consume('u1', 'requests', at('2026-12-01T10:00:05Z'));
    await sut.consume('u1', 'requests', at('2026-12-01T10:00:20Z'));
    await expect(sut.consume('u1', 'requests', at('2026-12-01T10:00:45.200Z'))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 15 });
    expect(repository.hit).toHaveBeenLastCalledWith('u1', 'requests', at('2026-12-01T10:00:00Z'));
  });

  it('starts afresh in the next window', async () => {
    await sut.consume('u1', 'uploads', at('2026-12-01T10:00:59Z'));
    await expect(sut.consume('u1', 'uploads', at('2026-12-01T10:00:59.900Z'))).rejects.toMatchObject({ retryAfterSeconds: 1 });
    await expect(sut.consume('u1', 'uploads', at('2026-12-01T10:01:00Z'))).resolves.toBeUndefined();
  });

  it('keeps users and actions apart', async () => {
    await sut.consume('u1', 'uploads', at('2026-12-01T10:00:00Z'));
    await expect(sut.consume('u2', 'uploads', at('2026-12-01T10:00:01Z'))).resolves.toBeUndefined();
    await expect(sut.consume('u1', 'hil', at('2026-12-01T10:00:01Z'))).resolves.toBeUndefined();
  });

  it('purges the windows that ended', async () => {
    await sut.purgeEnded(at('2026-12-01T10:05:00Z'));
    expect(repository.purgeBefore).toHaveBeenCalledWith(at('2026-12-01T10:04:00Z'));
  });
});
