import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { TicketSuggestion } from './ticket-suggestion';

export const TICKET_SLA_STATES = ['on_track', 'at_risk', 'breached', 'paused', 'met', 'unknown'] as const;
export type TicketSlaState = (typeof TICKET_SLA_STATES)[number];
import { RequestType, TicketCategory, TicketPriority, TicketStatus, TicketUrgency } from './ticket.enums';

@Entity({ name: 'tickets' })
@Index('IDX_tickets_requester_created', ['requesterId', 'createdAt'])
@Index('IDX_tickets_created', ['createdAt', 'id'])
@Index('IDX_tickets_updated', ['updatedAt', 'id'])
@Index('IDX_tickets_status_created', ['status', 'createdAt', 'id'])
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Index()
  @Column({ name: 'request_type', type: 'enum', enum: RequestType, enumName: 'ticket_request_type' })
  requestType: RequestType;

  @Index()
  @Column({ type: 'enum', enum: TicketCategory, enumName: 'ticket_category' })
  category: TicketCategory;

  @Index()
  @Column({ type: 'enum', enum: TicketPriority, enumName: 'ticket_priority', default: TicketPriority.Medium })
  priority: TicketPriority;

  @Column({ type: 'enum', enum: TicketUrgency, enumName: 'ticket_urgency', default: TicketUrgency.Normal })
  urgency: TicketUrgency;

  @Column({ name: 'business_justification', type: 'text', nullable: true })
  businessJustification: string | null;

  @Column({ name: 'desired_completion_date', type: 'timestamptz', precision: 3, nullable: true })
  desiredCompletionDate: Date | null;

  @Index()
  @Column({ type: 'enum', enum: TicketStatus, enumName: 'ticket_status', default: TicketStatus.Pending })
  status: TicketStatus;

  /** The workflow's (or a person's) decision: pending until one is made. */
  @Column({ type: 'varchar', length: 32, default: 'pending' })
  decision: string;

  @Column({ name: 'plan_summary', type: 'text', nullable: true })
  planSummary: string | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  /** The latest AI suggestion (POST /llm/resolve_ticket): summary, steps, citations, confidence. */
  @Column({ type: 'jsonb', nullable: true })
  suggestion: TicketSuggestion | null;

  @Column({ name: 'next_action', type: 'varchar', length: 64 })
  nextAction: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'requester_id' })
  requester?: User;

  /** The earlier request this one follows up (filed after replies to that one stopped reopening it). */
  @Column({ name: 'follow_up_of', type: 'uuid', nullable: true })
  followUpOf: string | null;

  /** The major incident this report is part of (proposed, open or resolved); null for none. */
  @Column({ name: 'incident_id', type: 'uuid', nullable: true })
  incidentId: string | null;

  /** The requester's employee id when the ticket was filed (the Local IT Support API filters on it). */
  @Index()
  @Column({ name: 'employee_id', type: 'varchar', length: 64 })
  employeeId: string;

  @Index()
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'assignee_id' })
  assignee?: User;

  // Precision 3 (milliseconds) so that a timestamp survives the round trip through JavaScript intact:
  // list cursors compare them exactly.
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  /** Its service levels in one word (on_track, at_risk, breached, paused, met, unknown), kept by the SLA module; null before the first evaluation. */
  @Column({ name: 'sla_state', type: 'varchar', length: 10, nullable: true, insert: false, update: false })
  slaState: TicketSlaState | null;

  /** The nearest due time of a running metric; null when no clock runs. */
  @Column({ name: 'sla_due_at', type: 'timestamptz', precision: 3, nullable: true, insert: false, update: false })
  slaDueAt: Date | null;

  @Index('IDX_tickets_search', { synchronize: false })
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: `to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))`,
  })
  searchVector?: string;
}
