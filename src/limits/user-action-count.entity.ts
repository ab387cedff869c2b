import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** How often one user took one limited action in one window; shared by every instance through the database. */
@Entity({ name: 'user_action_counts' })
export class UserActionCount {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_user_action_counts_user' })
  user?: User;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  action: string;

  @Index('IDX_user_action_counts_window_start')
  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'integer', default: 0 })
  hits: number;
}
