import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** A user's choice for one kind of notification; a kind without a row is on. */
@Entity({ name: 'notification_preferences' })
export class NotificationPreference {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** A NotificationKind. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  kind: string;

  /** Shown in the console's list (off: none is created). */
  @Column({ name: 'in_app', type: 'boolean' })
  inApp: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
