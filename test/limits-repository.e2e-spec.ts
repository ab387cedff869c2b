// The per-user limit counter on the real database: the service's unit spec scripts the counts, so the
// counting — one atomic upsert per hit, per user, action and window — is tested here, where a counter that
// stuck (or rolled over with the wrong key) would show.
import { LimitsRepository } from '../src/limits/limits.repository';
import { signUp } from './support/http';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';

describe('Per-user limit counter on the database (e2e)', () => {
  let testApp: TestApp;
  let repository: LimitsRepository;
  let users: string[];

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    repository = testApp.app.get(LimitsRepository);
    users = [(await signUp(testApp.url)).id, (await signUp(testApp.url)).id];
  });
  afterAll(() => testApp.close());

  const window = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

  it('counts every hit once, simultaneous ones included', async () => {
    const counts = await Promise.all(Array.from({ length: 8 }, () => repository.hit(users[0], 'requests', window(0))));
    expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await repository.hit(users[0], 'requests', window(0))).toBe(9);
  });

  it('keeps windows, actions and users apart', async () => {
    expect(await repository.hit(users[0], 'requests', window(1))).toBe(1);
    expect(await repository.hit(users[0], 'uploads', window(0))).toBe(1);
    expect(await repository.hit(users[1], 'requests', window(0))).toBe(1);
    expect(await repository.hit(users[0], 'requests', window(1))).toBe(2);
  });

  it('purges only the windows that started before the cut', async () => {
    await repository.hit(users[1], 'hil', window(5));
    const purged = await repository.purgeBefore(window(2));
    expect(purged).toBeGreaterThanOrEqual(4);
    expect(await repository.hit(users[0], 'requests', window(0))).toBe(1);
    expect(await repository.hit(users[1], 'hil', window(5))).toBe(2);
  });
});
