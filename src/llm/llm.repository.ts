import { Injectable } from '@nestjs/common';
import { PageRequest } from '../common/keyset-cursor';
import pgvector from 'pgvector';
import { RELAXED_COMMIT } from '../database/relaxed-commit';
import { TransactionalRepository } from '../database/transactional.repository';
import { TicketStatus } from '../tickets/ticket.enums';
import { DocumentChunk } from './document-chunk.entity';
import { KnowledgeDocument } from './document.entity';

export type NewDocument = Omit<KnowledgeDocument, 'id' | 'createdAt' | 'uploader' | 'ready'>;
export type NewChunk = Pick<DocumentChunk, 'position' | 'text' | 'page' | 'heading' | 'context' | 'lead' | 'embedding'>;

export interface ChunkHit {
  chunkId: string;
  documentId: string;
  title: string;
  heading: string | null;
  page: number | null;
  text: string;
  score: number;
}

export interface SimilarTicketHit {
  ticketId: string;
  title: string;
  status: string;
  resolution: string | null;
  requesterId: string;
  similarity: number;
}

/** A resolved ticket near a new one: its resolution, and its own words, which must not travel with it into a prompt. */
export interface ResolvedTicketHit {
  ticketId: string;
  resolution: string;
  title: string;
  description: string;
  businessJustification: string | null;
  similarity: number;
}

type SimilarTicketRow = { ticket_id: string; title: string; status: string; resolution: string | null; requester_id: string; distance: string };
type ResolvedTicketRow = SimilarTicketRow & { resolution: string; description: string; business_justification: string | null };

function mapSimilarTicket(row: SimilarTicketRow): SimilarTicketHit {
  return {
    ticketId: row.ticket_id,
    title: row.title,
    status: row.status,
    resolution: row.resolution,
    requesterId: row.requester_id,
    similarity: similarityOf(row.distance),
  };
}

/** Cosine similarity from pgvector's cosine distance, to three decimals. */
function similarityOf(distance: string): number {
  return Math.round((1 - Number(distance)) * 1000) / 1000;
}

/**
 * Rows per chunk INSERT. On the embedded database a statement holds the only connection, and each row's
 * vector index insert costs milliseconds there: measured with the bench's ingest scenario, 25 rows kept /health
 * waiting up to 253 ms, 8 rows 85 ms, 4 rows 51 ms, for the same chunks per second.
 */
const CHUNKS_PER_STATEMENT = 4;

/** Reciprocal rank fusion: score = Σ 1 / (RRF_K + rank) over the vector and the full-text rankings. */
const RRF_K = 60;

/**
 * Hybrid retrieval in one statement; parameters: $1 the query vector, $2 the tsquery, $3 the vector depth,
 * $4 k, $5 the text depth. Exported for the query-plan tests, which check that it stays on its indexes.
 */
export const HYBRID_SEARCH = `WITH vector_hits AS (
     SELECT id, row_number() OVER (ORDER BY distance, id) AS rank
     -- Ordered by the operator alone: that is the only order the HNSW index can serve (a tie-break
     -- column here made every search an exact scan of all chunks); ties are broken above.
     FROM (SELECT id, embedding <=> $1::vector AS distance FROM document_chunks ORDER BY embedding <=> $1::vector LIMIT $3) nearest
   ), text_hits AS (
     SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank
     FROM (SELECT chunk.id, ts_rank(chunk.search_vector, query) AS score
           FROM document_chunks chunk, to_tsquery('english', $2) query
           WHERE $2 <> '' AND chunk.search_vector @@ query
             AND EXISTS (SELECT 1 FROM documents document WHERE document.id = chunk.document_id AND document.ready)
           ORDER BY score DESC, chunk.id LIMIT $5) matched
   ), fused AS (
     SELECT id, SUM(1.0 / (${RRF_K} + rank)) AS score
     FROM (SELECT * FROM vector_hits UNION ALL SELECT * FROM text_hits) hits GROUP BY id
   ), best_per_document AS (
     SELECT DISTINCT ON (chunk.document_id) chunk.id, chunk.document_id, chunk.heading, chunk.page, chunk.text, fused.score
     FROM fused JOIN document_chunks chunk ON chunk.id = fused.id
     ORDER BY chunk.document_id, fused.score DESC, chunk.position
   )
   SELECT best.*, document.title FROM best_per_document best JOIN documents document ON document.id = best.document_id
   -- Chunks of a document still being stored may take vector candidates' places meanwhile, never a result.
   WHERE document.ready
   ORDER BY best.score DESC, best.id LIMIT $4`;

@Injectable()
export class LlmRepository extends TransactionalRepository {
  /** A document's row, not yet ready: its chunks follow in batches (`insertChunks`), then `markReady`. */
  startDocument(document: NewDocument): Promise<KnowledgeDocument> {
    return this.manager.save(KnowledgeDocument, this.manager.create(KnowledgeDocument, { ...document, ready: false }));
  }

  /**
   * Stores chunks CHUNKS_PER_STATEMENT at a time, each statement its own short transaction: on the embedded
   * database every statement holds the only connection (and the event loop, PGlite running in it), and a
   * vector index insert costs milliseconds a row. Without waiting for the WAL flush: until `markReady`,
   * whose commit is flushed and with it everything written before, nothing of the document is visible.
   */
  async insertChunks(documentId: string, chunks: NewChunk[]): Promise<void> {
    for (let start = 0; start < chunks.length; start += CHUNKS_PER_STATEMENT) {
      const batch = chunks.slice(start, start + CHUNKS_PER_STATEMENT);
      await this.manager.query(
        `${RELAXED_COMMIT}
         INSERT INTO document_chunks (document_id, position, text, page, heading, context, lead, embedding)
         SELECT $1::uuid, chunk.position, chunk.text, chunk.page, chunk.heading, chunk.context, chunk.lead, chunk.embedding::vector
           FROM relaxed, unnest($2::int[], $3::text[], $4::int[], $5::varchar[], $6::text[], $7::text[], $8::text[])
                AS chunk (position, text, page, heading, context, lead, embedding)`,
        [
          documentId,
          batch.map((chunk) => chunk.position),
          batch.map((chunk) => chunk.text),
          batch.map((chunk) => chunk.page),
          batch.map((chunk) => chunk.heading),
          batch.map((chunk) => chunk.context),
          batch.map((chunk) => chunk.lead),
          batch.map((chunk) => pgvector.toSql(chunk.embedding)),
        ],
      );
    }
  }

  async markReady(documentId: string): Promise<void> {
    await this.manager.query(`UPDATE documents SET ready = true WHERE id = $1`, [documentId]);
  }

  /** Documents left unfinished (an upload cut short by a crash), created before `before`; with their chunks. */
  async deleteUnfinished(before: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, count]: [unknown, number] = await this.manager.query(`DELETE FROM documents WHERE NOT ready AND created_at < $1`, [before]);
    return count;
  }

  findDocumentBySha256(sha256: string): Promise<KnowledgeDocument | null> {
    return this.manager.findOneBy(KnowledgeDocument, { sha256 });
  }

  findDocument(id: string): Promise<KnowledgeDocument | null> {
    return this.manager.findOneBy(KnowledgeDocument, { id, ready: true });
  }

  /** Newest first; `total` counts every document, whatever the page. */
  async findDocumentPage(page: PageRequest): Promise<[KnowledgeDocument[], number]> {
    const query = this.manager.createQueryBuilder(KnowledgeDocument, 'document').where('document.ready');
    const total = await query.clone().getCount();
    if (page.after) {
      query.andWhere('(document.created_at < :afterAt OR (document.created_at = :afterAt AND document.id > CAST(:afterId AS uuid)))', {
        afterAt: page.after.createdAt,
        afterId: page.after.id,
      });
    }
    const documents = await query.orderBy('document.created_at', 'DESC').addOrderBy('document.id', 'ASC').offset(page.after ? 0 : page.offset).limit(page.limit).getMany();
    return [documents, total];
  }

  findChunks(documentId: string): Promise<DocumentChunk[]> {
    return this.manager.find(DocumentChunk, {
      where: { documentId },
      order: { position: 'ASC' },
      select: { id: true, documentId: true, position: true, text: true, page: true, heading: true },
    });
  }

  /** Deletes a document (with its chunks), unless `readyOnly` and it is still being stored. */
  async deleteDocument(id: string, readyOnly = true): Promise<boolean> {
    const result = await this.manager.delete(KnowledgeDocument, readyOnly ? { id, ready: true } : { id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Hybrid retrieval: the `depth` nearest chunks by cosine distance and the `depth` best chunks by
   * full-text rank (title and heading weigh most, then the document's opening, then the text), fused by
   * reciprocal rank fusion; then the best chunk of each document, so one long manual cannot take every place.
   */
  hybridSearch(queryEmbedding: number[], tsquery: string, k: number, depth: { vector: number; text: number }): Promise<ChunkHit[]> {
    return this.manager.transaction(async (manager) => {
      // An HNSW scan returns at most ef_search rows (default 40): let it return the whole candidate list.
      await manager.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(Math.max(depth.vector, 40))]);
      const rows: Array<{ id: string; document_id: string; title: string; heading: string | null; page: number | null; text: string; score: string }> =
        await manager.query(
          HYBRID_SEARCH,
          [pgvector.toSql(queryEmbedding), tsquery, depth.vector, k, depth.text],
        );
      return rows.map((row) => ({
        chunkId: row.id,
        documentId: row.document_id,
        title: row.title,
        heading: row.heading,
        page: row.page,
        text: row.text,
        score: Number(row.score),
      }));
    });
  }

  /** Chunks by id (to check that a model cites only what was retrieved). */
  findChunkTitles(chunkIds: string[]): Promise<Array<{ chunkId: string; documentId: string; title: string }>> {
    if (chunkIds.length === 0) return Promise.resolve([]);
    return this.manager
      .query(`SELECT c.id, c.document_id, d.title FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ANY($1::uuid[])`, [chunkIds])
      .then((rows: Array<{ id: string; document_id: string; title: string }>) => rows.map((r) => ({ chunkId: r.id, documentId: r.document_id, title: r.title })));
  }

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

  /** The tickets nearest to `embedding`, whatever their status; only `requesterId`'s when given. */
  async similarTickets(embedding: number[], options: { limit: number; requesterId?: string }): Promise<SimilarTicketHit[]> {
    const rows: SimilarTicketRow[] = await this.manager.query(
      `SELECT t.id AS ticket_id, t.title, t.status, t.resolution, t.requester_id, e.embedding <=> $1::vector AS distance
       FROM ticket_embeddings e JOIN tickets t ON t.id = e.ticket_id
       WHERE ($2::uuid IS NULL OR t.requester_id = $2::uuid)
       ORDER BY e.embedding <=> $1::vector LIMIT $3`,
      [pgvector.toSql(embedding), options.requesterId ?? null, options.limit],
    );
    return rows.map(mapSimilarTicket);
  }

  /**
   * The resolved tickets with a resolution nearest to `embedding`, except `excludeTicketId`. Filtered in
   * the query, before the limit: most tickets near a new one are still open, and teach nothing.
   */
  similarResolvedTickets(embedding: number[], options: { limit: number; excludeTicketId?: string }): Promise<ResolvedTicketHit[]> {
    return this.manager.transaction(async (manager) => {
      // An HNSW scan filters only the ef_search (40) nearest rows; an iterative scan goes on until it has `limit` rows.
      await manager.query(`SELECT set_config('hnsw.iterative_scan', 'strict_order', true)`);
      const rows: ResolvedTicketRow[] = await manager.query(
        `SELECT t.id AS ticket_id, t.title, t.description, t.business_justification, t.status, t.resolution, t.requester_id,
                e.embedding <=> $1::vector AS distance
         FROM ticket_embeddings e JOIN tickets t ON t.id = e.ticket_id
         WHERE t.status = $2::ticket_status AND btrim(t.resolution) <> '' AND ($3::uuid IS NULL OR t.id <> $3::uuid)
         ORDER BY e.embedding <=> $1::vector LIMIT $4`,
        [pgvector.toSql(embedding), TicketStatus.Resolved, options.excludeTicketId ?? null, options.limit],
      );
      return rows.map((row) => ({
        ticketId: row.ticket_id,
        resolution: row.resolution,
        title: row.title,
        description: row.description,
        businessJustification: row.business_justification,
        similarity: similarityOf(row.distance),
      }));
    });
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
