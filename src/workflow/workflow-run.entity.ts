import { Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import type { HumanResponse, PendingRequest, WorkflowSummary } from './workflow.types';

/** queued → running → waiting (for a human) → queued … → done. One row per ticket: at most one run at a time. */
export type RunState = 'queued' | 'running' | 'waiting' | 'done';

/**
 * The workflow's queue and run record for one ticket. Runs are claimed with FOR UPDATE SKIP LOCKED and
 * held by a lease that the claiming instance renews, so a run whose process died is taken over.
 */
@Entity({ name: 'workflow_runs' })
@Index('IDX_workflow_runs_queue', ['state', 'queuedAt'])
export class WorkflowRun {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @OneToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  @Column({ type: 'varchar', length: 16 })
  state: RunState;

  /** What the run waits for while `waiting`: the workflow's own question or approval, or a question from support. */
  @Column({ type: 'jsonb', nullable: true })
  pending: PendingRequest | null;

  /** Raised by every claim: a segment's writes carry it, so those of a claim that was superseded are refused. */
  @Column({ type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  fence: number;

  /** A human response stored by POST /hil, waiting to be applied to the paused graph; cleared once applied. */
  @Column({ type: 'jsonb', nullable: true })
  resume: HumanResponse | null;

  @Column({ name: 'queued_at', type: 'timestamptz', precision: 3 })
  queuedAt: Date;

  @Column({ name: 'locked_by', type: 'uuid', nullable: true })
  lockedBy: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', precision: 3, nullable: true })
  leaseUntil: Date | null;

  /** Claims since the run last paused or ended: a run that keeps dying with its process is stopped. */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The graph's state when the run last paused or ended, kept after its checkpoints are pruned. */
  @Column({ type: 'jsonb', nullable: true })
  summary: WorkflowSummary | null;

  @Column({ name: 'checkpoints_pruned_at', type: 'timestamptz', precision: 3, nullable: true })
  checkpointsPrunedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
