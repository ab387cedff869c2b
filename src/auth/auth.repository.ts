import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { IsNull } from 'typeorm';
import { Role } from '../users/role.enum';
import { RefreshToken } from './refresh-token.entity';

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface SessionUser {
  id: string;
  email: string;
  full_name: string;
  employee_id: string;
  role: Role;
}

@Injectable()
export class AuthRepository extends TransactionalRepository {
  async insertRefreshToken(token: NewRefreshToken & { id?: string }): Promise<RefreshToken> {
    return this.manager.save(RefreshToken, this.manager.create(RefreshToken, token));
  }

  findRefreshToken(id: string): Promise<RefreshToken | null> {
    return this.manager.findOneBy(RefreshToken, { id });
  }

  /** Marks the token used and names its successor; false when another request used it first. */
  async markUsed(id: string, successorId: string): Promise<boolean> {
    const result = await this.manager.update(RefreshToken, { id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date(), replacedBy: successorId });
    return (result.affected ?? 0) === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async liveSessions(familyIds: string[]): Promise<Map<string, Role>> {
    if (familyIds.length === 0) return new Map();
    const rows: Array<{ family_id: string; role: Role }> = await this.manager.query(
      `SELECT DISTINCT token.family_id, users.role
         FROM refresh_tokens token JOIN users ON users.id = token.user_id AND users.is_active
        WHERE token.family_id = ANY($1::uuid[]) AND token.revoked_at IS NULL AND token.expires_at > now()`,
      [familyIds],
    );
    return new Map(rows.map((row) => [row.family_id, row.role]));
  }

  /**
   * Deletes the tokens nothing can use any more: expired or revoked. Used tokens stay until they expire,
   * so that a stolen one shown again is still recognised and revokes its session.
   */
  async deleteStale(): Promise<number> {
    const result = await this.manager
      .createQueryBuilder()
      .delete()
      .from(RefreshToken)
      .where('expires_at <= now() OR revoked_at IS NOT NULL')
      .execute();
    return result.affected ?? 0;
  }

  /**
   * The user behind an access token, in one query: found only while the user is active and the session
   * alive (its family has a token of that user that is neither revoked nor expired).
   */
  async findSessionUser(userId: string, familyId: string): Promise<SessionUser | null> {
    const [row] = await this.manager.query<SessionUser[]>(
      `SELECT users.id, users.email, users.full_name, users.employee_id, users.role
         FROM users
        WHERE users.id = $1 AND users.is_active
          AND EXISTS (SELECT 1 FROM refresh_tokens token
                       WHERE token.family_id = $2 AND token.user_id = users.id AND token.revoked_at IS NULL AND token.expires_at > now())`,
      [userId, familyId],
    );
    return row ?? null;
  }
}
