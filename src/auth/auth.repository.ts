import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { IsNull } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

@Injectable()
export class AuthRepository extends TransactionalRepository {
  async insertRefreshToken(token: NewRefreshToken & { id?: string }): Promise<RefreshToken> {
    return this.manager.save(RefreshToken, this.manager.create(RefreshToken, token));
  }

  findRefreshToken(id: string): Promise<RefreshToken | null> {
    return this.manager.findOneBy(RefreshToken, { id });
  }

  /** Marks the token used; false when another request used it first. */
  async markUsed(id: string): Promise<boolean> {
    const result = await this.manager.update(RefreshToken, { id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date() });
    return (result.affected ?? 0) === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** A session is alive while its family has a token that is neither revoked nor expired. */
  async isSessionActive(familyId: string): Promise<boolean> {
    return this.manager
      .createQueryBuilder(RefreshToken, 'token')
      .where('token.family_id = :familyId AND token.revoked_at IS NULL AND token.expires_at > now()', { familyId })
      .getExists();
  }
}
