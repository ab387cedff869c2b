import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Ticket } from './ticket.entity';

/**
 * One change to a ticket, written in the same transaction as the change: the audit trail, and the
 * source of the live event stream (its id is the SSE event id; readers take ids in order, see CommitFrontier).
 */
@Entity({ name: 'ticket_events' })
@Index('IDX_ticket_events_ticket_id', ['ticketId', 'id'])
export class TicketEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  /** The stream's event type: workflow_update, hil_response, comment or error. */
  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'actor_id' })
  actor?: User;

  /** Only support and admin see it (internal notes). */
  @Column({ name: 'staff_only', type: 'boolean', default: false })
  staffOnly: boolean;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
