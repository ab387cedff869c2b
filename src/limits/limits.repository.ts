import { Injectable } from '@nestjs/common';
import { RELAXED_COMMIT } from '../database/relaxed-commit';
import { TransactionalRepository } from '../database/transactional.repository';
import { UserActionCount } from './user-action-count.entity';

@Injectable()
export class LimitsRepository extends TransactionalRepository {
  /**
   * Counts one more hit in the window and returns the window's count, atomically across instances. It
   * commits without waiting for the WAL flush (RELAXED_COMMIT): one flush per request less. Never call it
   * inside a transaction.
   */
  async hit(userId: string, action: string, windowStart: Date): Promise<number> {
    const rows: Array<{ hits: number }> = await this.manager.query(
      `${RELAXED_COMMIT}
       INSERT INTO user_action_counts (user_id, action, window_start, hits) SELECT $1::uuid, $2::varchar, $3::timestamptz, 1 FROM relaxed
       ON CONFLICT (user_id, action, window_start) DO UPDATE SET hits = user_action_counts.hits + 1
       RETURNING hits`,
      [userId, action, windowStart],
    );
    return Number(rows[0].hits);
  }

  /** Deletes the counts of windows that ended before `before`; the number deleted. */
  async purgeBefore(before: Date): Promise<number> {
    const result = await this.manager.createQueryBuilder().delete().from(UserActionCount).where('window_start < :before', { before }).execute();
    return result.affected ?? 0;
  }
}
