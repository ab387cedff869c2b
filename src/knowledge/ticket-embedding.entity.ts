import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { EMBEDDING_DIMENSIONS } from './document-chunk.entity';

/** A ticket's text as a vector, to find similar past tickets (kept on creation and on resolution). */
@Entity({ name: 'ticket_embeddings' })
export class TicketEmbedding {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @OneToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  @Column({ type: 'vector', length: EMBEDDING_DIMENSIONS })
  embedding: number[];

  @Column({ name: 'embedding_model', type: 'varchar', length: 120 })
  embeddingModel: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
