import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { KnowledgeDocument } from './document.entity';

export const EMBEDDING_DIMENSIONS = 768;

@Entity({ name: 'document_chunks' })
@Index('IDX_document_chunks_document_position', ['documentId', 'position'])
export class DocumentChunk {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId: string;

  @ManyToOne(() => KnowledgeDocument, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document?: KnowledgeDocument;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  text: string;

  /** 1-based page of a PDF. */
  @Column({ type: 'integer', nullable: true })
  page: number | null;

  /** The nearest heading above the chunk (Markdown, DOCX). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  heading: string | null;

  /** The words the chunk is found by besides its text: the document title and the heading (weight A). */
  @Column({ type: 'text' })
  context: string;

  /** The opening of the document, the same for all its chunks: what the document is about (weight C). */
  @Column({ type: 'text' })
  lead: string;

  @Column({ type: 'vector', length: EMBEDDING_DIMENSIONS })
  embedding: number[];

  @Index('IDX_document_chunks_search', { synchronize: false })
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: `setweight(to_tsvector('english', context), 'A') || setweight(to_tsvector('english', lead), 'C') || setweight(to_tsvector('english', text), 'D')`,
  })
  searchVector?: string;
}
