// Per-user limits on the actions that cost the most (a filed ticket runs the workflow and its model calls;
// an answer resumes it; an upload is parsed and embedded): a fixed window per user, counted in the
// database so that every instance counts the same hits.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TooManyRequestsException } from '../common/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { LimitsRepository } from './limits.repository';

export type LimitedAction = 'requests' | 'hil' | 'uploads';

const DESCRIPTIONS: Record<LimitedAction, string> = {
  requests: 'new requests',
  hil: 'answers and approvals',
  uploads: 'document uploads',
};

@Injectable()
export class LimitsService implements OnApplicationBootstrap {
  constructor(
    private readonly limitsRepository: LimitsRepository,
    private readonly config: AppConfig,
    private readonly maintenance: MaintenanceJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.schedule('user-limit-purge', 60 * 60 * 1000, () => this.purgeEnded());
  }

  /** Counts one `action` by the user; 429 with Retry-After once the window's allowance is used up. */
  async consume(userId: string, action: LimitedAction, now = new Date()): Promise<void> {
    const windowMs = this.config.userLimits.windowSeconds * 1000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const limit = this.config.userLimits[action];
    const hits = await this.limitsRepository.hit(userId, action, new Date(windowStart));
    if (hits <= limit) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000));
    throw new TooManyRequestsException(
      `Too many ${DESCRIPTIONS[action]}: at most ${limit} per ${this.config.userLimits.windowSeconds} s per user; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }

  /** Forgets the windows that are over (run by the maintenance job). */
  purgeEnded(now = new Date()): Promise<number> {
    return this.limitsRepository.purgeBefore(new Date(now.getTime() - this.config.userLimits.windowSeconds * 1000));
  }
}
