import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Recent failed sign-ins to one account — by its normalised email, whether or not anyone has it, so that
 * the answers tell nothing of who does. Shared by every instance through the database.
 */
@Entity({ name: 'sign_in_failures' })
export class SignInFailure {
  @PrimaryColumn({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'integer' })
  failures: number;

  /** Until when sign-ins to the account are refused without checking the password. */
  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil: Date | null;

  /** When the failures are forgotten (the count starts afresh) and the row may be purged. */
  @Index('IDX_sign_in_failures_forget_at')
  @Column({ name: 'forget_at', type: 'timestamptz' })
  forgetAt: Date;
}
