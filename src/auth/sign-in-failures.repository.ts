import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { SignInFailure } from './sign-in-failure.entity';

/** An account's failures as a sign-in sees them: how many seconds it must still wait (0: none). */
export interface SignInFailureState {
  blockedForSeconds: number;
}

// Every time here is the database's: all instances then judge a block by one clock.
@Injectable()
export class SignInFailuresRepository extends TransactionalRepository {
  /** The account's failures, or null when none is remembered (the only statement of a normal sign-in). */
  async find(email: string): Promise<SignInFailureState | null> {
    const [row] = await this.manager.query<Array<{ blocked_for: number }>>(
      `SELECT COALESCE(GREATEST(0, ceil(extract(epoch FROM blocked_until - now()))), 0)::int AS blocked_for
         FROM sign_in_failures WHERE email = $1`,
      [email],
    );
    return row ? { blockedForSeconds: Number(row.blocked_for) } : null;
  }

  /**
   * Counts one more failure, atomically across instances — from one again once the earlier ones are
   * forgotten — and remembers it for `rememberSeconds`; the count now.
   */
  async countFailure(email: string, rememberSeconds: number): Promise<number> {
    const rows = await this.manager.query<Array<{ failures: number }>>(
      `INSERT INTO sign_in_failures AS f (email, failures, blocked_until, forget_at)
       VALUES ($1, 1, NULL, now() + $2::int * interval '1 second')
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN f.forget_at <= now() THEN 1 ELSE f.failures + 1 END,
         blocked_until = CASE WHEN f.forget_at <= now() THEN NULL ELSE f.blocked_until END,
         forget_at = GREATEST(EXCLUDED.forget_at, f.forget_at)
       RETURNING failures`,
      [email, rememberSeconds],
    );
    return Number(rows[0].failures);
  }

  /** Refuses sign-ins to the account for `seconds` from now (never shortening a longer block); remembered `rememberSeconds` beyond. */
  async block(email: string, seconds: number, rememberSeconds: number): Promise<void> {
    await this.manager.query(
      `UPDATE sign_in_failures
          SET blocked_until = GREATEST(blocked_until, now() + $2::int * interval '1 second'),
              forget_at = GREATEST(forget_at, now() + ($2::int + $3::int) * interval '1 second')
        WHERE email = $1`,
      [email, seconds, rememberSeconds],
    );
  }

  async clear(email: string): Promise<void> {
    await this.manager.delete(SignInFailure, { email });
  }

  /** Deletes the failures that are forgotten; how many accounts' rows went. */
  async purgeForgotten(): Promise<number> {
    const result = await this.manager.createQueryBuilder().delete().from(SignInFailure).where('forget_at <= now()').execute();
    return result.affected ?? 0;
  }
}
