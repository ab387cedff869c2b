import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** An ingested knowledge-base document; its text lives in its chunks. */
@Entity({ name: 'documents' })
export class KnowledgeDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType: string;

  /** The same file twice is refused: its SHA-256 is unique. */
  @Column({ type: 'char', length: 64, unique: true })
  sha256: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'integer' })
  characters: number;

  @Column({ name: 'chunk_count', type: 'integer' })
  chunkCount: number;

  /** Which embedding model made its vectors: vectors of different models must not be mixed. */
  @Column({ name: 'embedding_model', type: 'varchar', length: 120 })
  embeddingModel: string;

  @Column({ name: 'uploader_id', type: 'uuid' })
  uploaderId: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'uploader_id' })
  uploader?: User;

  /**
   * False while its chunks are being stored (in short steps, so the database keeps serving meanwhile):
   * until then it is in no list and no search, and a failed or interrupted upload leaves it to be deleted.
   */
  @Column({ type: 'boolean', default: false })
  ready: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
