import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A canned reply: admin-managed text with placeholders, which support fills in for a ticket and sends. */
@Entity({ name: 'macros' })
export class Macro {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique whatever its case (a unique index on lower(name)). */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text' })
  body: string;

  /** The reply is an internal note (staff only). */
  @Column({ type: 'boolean', default: false })
  internal: boolean;

  /** Sending the reply resolves the ticket (it becomes the resolution). */
  @Column({ type: 'boolean', default: false })
  resolve: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
