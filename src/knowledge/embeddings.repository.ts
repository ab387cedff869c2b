// The stored vectors as such: tickets' vectors kept up to date, which models made what is stored, and
// every vector replaced when the embedding model changes. (A chunk's first vector is stored with it.)
import { Injectable } from '@nestjs/common';
import pgvector from 'pgvector';
import { RELAXED_COMMIT } from '../database/relaxed-commit';
import { TransactionalRepository } from '../database/transactional.repository';
import { DocumentChunk } from './document-chunk.entity';

@Injectable()
export class EmbeddingsRepository extends TransactionalRepository {
  /**
   * Stores tickets' vectors, derived data, without waiting for the WAL flush (RELAXED_COMMIT): filing a
   * ticket should not pay a second flush for it. Never inside a transaction.
   */
  async upsertTicketEmbeddings(vectors: Array<{ ticketId: string; embedding: number[] }>, embeddingModel: string): Promise<void> {
    await this.manager.query(
      `${RELAXED_COMMIT}
       INSERT INTO ticket_embeddings (ticket_id, embedding, embedding_model, updated_at)
       SELECT vector.ticket_id, vector.embedding::vector, $3::varchar, now()
         FROM relaxed, unnest($1::uuid[], $2::text[]) AS vector (ticket_id, embedding)
       ON CONFLICT (ticket_id) DO UPDATE SET embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model, updated_at = now()`,
      [vectors.map((vector) => vector.ticketId), vectors.map((vector) => pgvector.toSql(vector.embedding)), embeddingModel],
    );
  }

  /** The embedding models whose vectors are stored (documents and tickets). */
  async embeddingModelsInUse(): Promise<string[]> {
    const rows: Array<{ model: string }> = await this.manager.query(
      `SELECT embedding_model AS model FROM documents UNION SELECT embedding_model FROM ticket_embeddings`,
    );
    return rows.map((row) => row.model);
  }

  /** Walks every chunk (id order) for re-embedding. */
  findChunksAfter(afterId: string | null, limit: number): Promise<Array<Pick<DocumentChunk, 'id' | 'documentId' | 'text' | 'context' | 'lead'>>> {
    return this.manager
      .createQueryBuilder(DocumentChunk, 'chunk')
      .select(['chunk.id', 'chunk.documentId', 'chunk.text', 'chunk.context', 'chunk.lead'])
      .where(afterId ? 'chunk.id > :afterId' : 'TRUE', { afterId })
      .orderBy('chunk.id')
      .limit(limit)
      .getMany();
  }

  async updateChunkEmbeddings(updates: Array<{ id: string; embedding: number[] }>): Promise<void> {
    await this.manager.transaction(async (manager) => {
      for (const update of updates) await manager.update(DocumentChunk, { id: update.id }, { embedding: update.embedding });
    });
  }

  async setDocumentsEmbeddingModel(model: string): Promise<void> {
    await this.manager.query(`UPDATE documents SET embedding_model = $1`, [model]);
  }

  async clearTicketEmbeddings(): Promise<void> {
    await this.manager.query(`DELETE FROM ticket_embeddings`);
  }
}
