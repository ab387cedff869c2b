import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * A key a user sent with a write (`Idempotency-Key`), and the answer to it, stored in the write's own
 * transaction: a retry with the key within a day gets the answer instead of a second write.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_idempotency_keys_user' })
  user?: User;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of the method, route and validated body: the same key with another request is refused. */
  @Column({ type: 'char', length: 64 })
  fingerprint: string;

  /** Null only inside the transaction that claimed the key: nobody else ever sees it so. */
  @Column({ name: 'status_code', type: 'smallint', nullable: true })
  statusCode: number | null;

  /** The body as it was sent (`json` keeps it as written, so a replay is byte for byte the first answer). */
  @Column({ type: 'json', nullable: true })
  response: unknown;

  @Index('IDX_idempotency_keys_created_at')
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
