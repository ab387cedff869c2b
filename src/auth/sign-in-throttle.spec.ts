import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { SignInFailuresRepository } from './sign-in-failures.repository';
import { SignInThrottle } from './sign-in-throttle';

/** The table's rows and the database's clock (`now`, ms), with each statement noted in the order it ran. */
class FakeSignInFailuresRepository {
  readonly rows = new Map<string, { failures: number; blockedUntil: number | null; forgetAt: number }>();
  readonly statements: string[] = [];
  now = Date.parse('2026-12-01T10:00:00Z');

  find = jest.fn(async (email: string) => {
    this.statements.push('find');
    const row = this.rows.get(email);
    return row ? { blockedForSeconds: Math.max(0, Math.ceil(((row.blockedUntil ?? 0) - this.now) / 1000)) } : null;
  });
  countFailure = jest.fn(async (email: string, rememberSeconds: number) => {
    this.statements.push('countFailure');
    const row = this.rows.get(email);
    const forgotten = !row || row.forgetAt <= this.now;
    const next = {
      failures: forgotten ? 1 : row.failures + 1,
      blockedUntil: forgotten ? null : row.blockedUntil,
      forgetAt: Math.max(this.now + rememberSeconds * 1000, row?.forgetAt ?? 0),
    };
    this.rows.set(email, next);
    return next.failures;
  });
  block = jest.fn(async (email: string, seconds: number, rememberSeconds: number) => {
    this.statements.push('block');
    const row = this.rows.get(email)!;
    row.blockedUntil = Math.max(row.blockedUntil ?? 0, this.now + seconds * 1000);
    row.forgetAt = Math.max(row.forgetAt, this.now + (seconds + rememberSeconds) * 1000);
  });
  clear = jest.fn(async (email: string) => {
    this.statements.push('clear');
    this.rows.delete(email);
  });
  purgeForgotten = jest.fn(async () => {
    const forgotten = [...this.rows].filter(([, row]) => row.forgetAt <= this.now);
    forgotten.forEach(([email]) => this.rows.delete(email));
    return forgotten.length;
  });

  /** Moves the clock on by `seconds`. */
  wait(seconds: number): void {
    this.now += seconds * 1000;
  }
}

const LIMIT = 3;
const config = { signInThrottle: { failureLimit: LIMIT, backoffSeconds: 30, maxBackoffSeconds: 200, windowSeconds: 600 } } as AppConfig;
const PASSWORD = 'Correct-Horse-42';
const deferred = () => {
  let release!: () => void;
  return { promise: new Promise<void>((resolve) => (release = resolve)), release: () => release() };
};

describe(SignInThrottle.name, () => {
  let sut: SignInThrottle;
  let repository: FakeSignInFailuresRepository;
  /** Jane's credentials check: her user for the right password, null otherwise. */
  let verify: jest.Mock;

  beforeEach(() => {
    repository = new FakeSignInFailuresRepository();
    sut = new SignInThrottle(repository as unknown as SignInFailuresRepository, config, { schedule: jest.fn() } as unknown as MaintenanceJobs);
    verify = jest.fn();
  });

  const attempt = (password: string, email = 'jane.doe@example.com') =>
    sut.attempt(email, async () => {
      verify(email, password);
      return password === PASSWORD ? { id: 'jane' } : null;
    });
  const failTimes = async (times: number, email?: string) => {
    for (let i = 0; i < times; i += 1) await expect(attempt('wrong', email)).resolves.toBeNull();
  };

  it('costs a sign-in without earlier failures one read and no write', async () => {
    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' });
    expect(repository.statements).toEqual(['find']);
  });

  it(`refuses with 429 and the seconds left after ${LIMIT} failures, without checking the password — the right one included`, async () => {
    await failTimes(LIMIT);
    verify.mockClear();

    await expect(attempt('wrong')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30, message: 'Too many failed sign-ins for this account; retry in 30 s' });
    repository.wait(29.5);
    await expect(attempt(PASSWORD)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 1 });
    expect(verify).not.toHaveBeenCalled();
    expect(repository.countFailure).toHaveBeenCalledTimes(LIMIT); // a refused attempt is not a failure
  });

  it('counts one account however its email is spelled', async () => {
    await failTimes(1, 'Jane.Doe@Example.com');
    await failTimes(1, ' jane.doe@EXAMPLE.COM ');
    await failTimes(1, 'jane.doe@example.com');
    await expect(attempt(PASSWORD, 'JANE.DOE@example.com')).rejects.toMatchObject({ status: 429 });
    expect([...repository.rows.keys()]).toEqual(['jane.doe@example.com']);
  });

  it('keeps accounts apart', async () => {
    await failTimes(LIMIT, 'jane.doe@example.com');
    await expect(attempt(PASSWORD, 'john.roe@example.com')).resolves.toEqual({ id: 'jane' });
  });

  it('waits twice as long after each further failure, up to the cap, and lets one attempt through after each wait', async () => {
    await failTimes(LIMIT);
    const waits: number[] = [];
    for (let further = 0; further < 4; further += 1) {
      const refusal = await attempt('wrong').catch((error: { retryAfterSeconds: number }) => error);
      waits.push((refusal as { retryAfterSeconds: number }).retryAfterSeconds);
      repository.wait(waits.at(-1)!);
      await expect(attempt('wrong')).resolves.toBeNull();
    }
    expect(waits).toEqual([30, 60, 120, 200]);
  });

  it('clears the failures on a success, with one statement more', async () => {
    await failTimes(LIMIT - 1);
    repository.statements.length = 0;

    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' });

    expect(repository.statements).toEqual(['find', 'clear']);
    await failTimes(LIMIT - 1);
    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' });
  });

  it('forgets failures a window after the last one, or after the wait it caused', async () => {
    await failTimes(LIMIT - 1);
    repository.wait(600);
    await failTimes(LIMIT - 1);
    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' }); // the count started afresh

    await failTimes(LIMIT);
    repository.wait(30 + 599);
    await failTimes(1);
    await expect(attempt('wrong')).rejects.toMatchObject({ retryAfterSeconds: 60 }); // still remembered: it doubled
    repository.wait(60 + 600);
    await failTimes(LIMIT - 1);
    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' });
  });

  it(`checks at most ${LIMIT} of 10 wrong passwords sent at once: attempts on one account take turns`, async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => attempt('wrong')));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([...Array(LIMIT).fill('fulfilled'), ...Array(10 - LIMIT).fill('rejected')]);
    expect(verify).toHaveBeenCalledTimes(LIMIT);
  });

  it('does not make an attempt on another account wait for one in progress', async () => {
    const checking = deferred();
    const slow = sut.attempt('jane.doe@example.com', async () => {
      await checking.promise;
      return null;
    });
    await expect(attempt(PASSWORD, 'john.roe@example.com')).resolves.toEqual({ id: 'jane' });
    checking.release();
    await expect(slow).resolves.toBeNull();
  });

  it('counts no failure when the check itself fails, and lets the next attempt through', async () => {
    await expect(sut.attempt('jane.doe@example.com', () => Promise.reject(new Error('database unavailable')))).rejects.toThrow('database unavailable');
    expect(repository.countFailure).not.toHaveBeenCalled();
    await expect(attempt(PASSWORD)).resolves.toEqual({ id: 'jane' });
  });

  it('purges the forgotten failures on a schedule', async () => {
    const maintenance = { schedule: jest.fn() };
    const scheduled = new SignInThrottle(repository as unknown as SignInFailuresRepository, config, maintenance as unknown as MaintenanceJobs);
    scheduled.onApplicationBootstrap();
    await failTimes(1, 'old@example.com');
    repository.wait(601);
    await failTimes(1, 'new@example.com');

    const [name, , purge] = maintenance.schedule.mock.calls[0] as [string, number, () => Promise<number>];
    expect(name).toBe('sign-in-failure-purge');
    await expect(purge()).resolves.toBe(1);
    expect([...repository.rows.keys()]).toEqual(['new@example.com']);
  });
});
