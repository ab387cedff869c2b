import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { IdempotencyKey } from './idempotency-key.entity';

/** The advisory locks of idempotency keys: a class of their own, so they never meet another module's. */
const LOCK_CLASS = 0x1d3e;

export type KeyClaim = 'claimed' | 'taken' | 'in_flight';

export interface KeyRow {
  fingerprint: string;
  statusCode: number | null;
  response: unknown;
}

@Injectable()
export class IdempotencyRepository extends TransactionalRepository {
  /**
   * In the caller's transaction, in one statement: `in_flight` when another transaction holds the key now
   * (its advisory lock, which never waits), `claimed` when the key was free or had expired (its row is now
   * this transaction's), `taken` when a committed row holds it. The lock is held until the commit, so a
   * second call waits for nothing: it is refused at once.
   */
  async claim(userId: string, key: string, fingerprint: string, now: Date, expiredBefore: Date): Promise<KeyClaim> {
    const [row]: Array<{ locked: boolean; claimed: boolean }> = await this.manager.query(
      `WITH lock AS (SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}, hashtext($1::text || ':' || $2::text)) AS locked),
       claimed AS (
         INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
         SELECT $1::uuid, $2::varchar, $3::char(64), $4::timestamptz FROM lock WHERE lock.locked
         ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response = NULL, created_at = EXCLUDED.created_at
           WHERE idempotency_keys.created_at < $5::timestamptz
         RETURNING 1
       )
       SELECT (SELECT locked FROM lock) AS locked, EXISTS (SELECT 1 FROM claimed) AS claimed`,
      [userId, key, fingerprint, now, expiredBefore],
    );
    if (!row.locked) return 'in_flight';
    return row.claimed ? 'claimed' : 'taken';
  }

  /** The committed row of a taken key (read after the claim, so that it sees a commit the claim waited on). */
  async findStored(userId: string, key: string): Promise<KeyRow | null> {
    const [row]: Array<{ fingerprint: string; status_code: number | null; response: unknown }> = await this.manager.query(
      `SELECT fingerprint, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return row ? { fingerprint: row.fingerprint, statusCode: row.status_code, response: row.response } : null;
  }

  /** Stores the answer on the key this transaction claimed. */
  async complete(userId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.manager.query(`UPDATE idempotency_keys SET status_code = $3, response = $4::json WHERE user_id = $1 AND key = $2`, [
      userId,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /** Deletes the keys created before `before`; the number deleted. */
  async purgeBefore(before: Date): Promise<number> {
    const result = await this.manager.createQueryBuilder().delete().from(IdempotencyKey).where('created_at < :before', { before }).execute();
    return result.affected ?? 0;
  }
}
