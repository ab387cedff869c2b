import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';

/**
 * A file attached to a ticket, its bytes in the row. `content` is never selected unless asked for by name
 * (a download), so listing a ticket's files reads their metadata only.
 */
@Entity({ name: 'ticket_attachments' })
@Index('IDX_ticket_attachments_ticket_created', ['ticketId', 'createdAt'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  @Column({ name: 'uploader_id', type: 'uuid' })
  uploaderId: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'uploader_id' })
  uploader?: User;

  /** Already made safe (see safeFilename). */
  @Column({ type: 'varchar', length: 255 })
  filename: string;

  /** Decided by the bytes, never by the client. */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'bytea', select: false })
  content?: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
