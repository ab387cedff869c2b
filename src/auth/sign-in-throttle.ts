// Password guessing against one account, from however many addresses: failed sign-ins count per account
// in the database (every instance sees the same count), and past SIGN_IN_FAILURE_LIMIT of them the
// account's sign-ins are refused with 429 for a while — doubling per further failure, up to a cap, never
// for good — without the password being checked meanwhile, so that a right guess then tells nothing either.
// A success clears the count.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TooManyRequestsException } from '../common/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { SignInFailuresRepository } from './sign-in-failures.repository';

const PURGE_EVERY_MS = 60 * 60 * 1000;

@Injectable()
export class SignInThrottle implements OnApplicationBootstrap {
  /** Per account, the attempt in progress on this instance: the next one waits for it. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    private readonly failuresRepository: SignInFailuresRepository,
    private readonly config: AppConfig,
    private readonly maintenance: MaintenanceJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.schedule('sign-in-failure-purge', PURGE_EVERY_MS, () => this.purgeForgotten());
  }

  /**
   * Runs `verify` (null: wrong credentials) for a sign-in to `email`, unless the account must wait (429
   * with Retry-After, `verify` not run); counts a failure, and clears the count on a success. Attempts on
   * one account take turns here: sent together, they would all read the count before any failure raised it.
   */
  attempt<T>(email: string, verify: () => Promise<T | null>): Promise<T | null> {
    const account = email.trim().toLowerCase();
    return this.inTurn(account, async () => {
      const known = await this.failuresRepository.find(account);
      if (known && known.blockedForSeconds > 0) {
        throw new TooManyRequestsException(
          `Too many failed sign-ins for this account; retry in ${known.blockedForSeconds} s`,
          known.blockedForSeconds,
        );
      }
      const result = await verify();
      if (result === null) await this.countFailure(account);
      else if (known) await this.failuresRepository.clear(account);
      return result;
    });
  }

  /** Forgets the failures that are old enough (run by the maintenance job); how many accounts' went. */
  purgeForgotten(): Promise<number> {
    return this.failuresRepository.purgeForgotten();
  }

  private async countFailure(account: string): Promise<void> {
    const { failureLimit, backoffSeconds, maxBackoffSeconds, windowSeconds } = this.config.signInThrottle;
    const failures = await this.failuresRepository.countFailure(account, windowSeconds);
    if (failures < failureLimit) return;
    const seconds = Math.min(maxBackoffSeconds, backoffSeconds * 2 ** Math.min(failures - failureLimit, 30));
    await this.failuresRepository.block(account, seconds, windowSeconds);
  }

  private async inTurn<T>(account: string, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(account) ?? Promise.resolve();
    const result = previous.then(work);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(account, done);
    try {
      return await result;
    } finally {
      if (this.turns.get(account) === done) this.turns.delete(account);
    }
  }
}
