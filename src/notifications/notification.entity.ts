import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { TicketEvent } from '../tickets/ticket-event.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';

/** Something a person is told, derived from one event of the trail (NotificationsProjection): once per event, recipient and kind. */
@Entity({ name: 'notifications' })
@Unique('UQ_notifications_event_recipient_kind', ['eventId', 'recipientId', 'kind'])
@Index('IDX_notifications_recipient_newest', { synchronize: false })
@Index('IDX_notifications_recipient_unread', { synchronize: false })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @ManyToOne(() => TicketEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: TicketEvent;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recipient_id' })
  recipient?: User;

  /** A NotificationKind. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 1000 })
  text: string;

  /** When the event happened (milliseconds: a keyset cursor names the exact value). */
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;
}
