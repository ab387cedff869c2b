import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { LimitsRepository } from './limits.repository';
import { LimitsService } from './limits.service';

/**
 * Answers each hit with the count it is told to: the counting itself (an upsert, atomic across instances)
 * is the repository's and is tested on the real database (test/limits-repository.e2e-spec.ts). A fake that
 * counted in memory would pass with the real counter stuck.
 */
class ScriptedLimitsRepository {
  counts: number[] = [];

  hit = jest.fn(async (_userId: string, _action: string, _windowStart: Date) => {
    const next = this.counts.shift();
    if (next === undefined) throw new Error('no count scripted for this hit');
    return next;
  });
  purgeBefore = jest.fn(async () => 0);
}

const config = { userLimits: { windowSeconds: 60, requests: 2, hil: 5, uploads: 1 } } as AppConfig;
const at = (iso: string) => new Date(iso);

describe(LimitsService.name, () => {
  let repository: ScriptedLimitsRepository;
  let sut: LimitsService;

  beforeEach(() => {
    repository = new ScriptedLimitsRepository();
    sut = new LimitsService(repository as unknown as LimitsRepository, config, { schedule: jest.fn() } as unknown as MaintenanceJobs);
  });

  it('allows hits up to the action’s limit, then refuses with 429 and the seconds left in the window', async () => {
    repository.counts = [1, 2, 3];
    await sut.consume('u1', 'requests', at('2026-12-01T10:00:05Z'));
    await sut.consume('u1', 'requests', at('2026-12-01T10:00:20Z'));
    await expect(sut.consume('u1', 'requests', at('2026-12-01T10:00:45.200Z'))).rejects.toMatchObject({ status: 429, retryAfterSeconds: 15 });
  });

  it('counts each hit in the window it falls in, for its user and action', async () => {
    repository.counts = [1, 1, 1];
    await sut.consume('u1', 'uploads', at('2026-12-01T10:00:59.900Z'));
    await sut.consume('u1', 'uploads', at('2026-12-01T10:01:00Z'));
    await sut.consume('u2', 'hil', at('2026-12-01T10:01:30Z'));
    expect(repository.hit.mock.calls).toEqual([
      ['u1', 'uploads', at('2026-12-01T10:00:00Z')],
      ['u1', 'uploads', at('2026-12-01T10:01:00Z')],
      ['u2', 'hil', at('2026-12-01T10:01:00Z')],
    ]);
  });

  it('uses each action’s own limit, and tells at least a second to wait at a window’s last instant', async () => {
    repository.counts = [5, 6, 2];
    await expect(sut.consume('u1', 'hil', at('2026-12-01T10:00:00Z'))).resolves.toBeUndefined();
    await expect(sut.consume('u1', 'hil', at('2026-12-01T10:00:01Z'))).rejects.toMatchObject({ status: 429 });
    await expect(sut.consume('u1', 'uploads', at('2026-12-01T10:00:59.900Z'))).rejects.toMatchObject({ retryAfterSeconds: 1 });
  });

  it('purges the windows that ended', async () => {
    await sut.purgeEnded(at('2026-12-01T10:05:00Z'));
    expect(repository.purgeBefore).toHaveBeenCalledWith(at('2026-12-01T10:04:00Z'));
  });
});
