// What retrieval reads: the passages nearest a query (vectors and full text, fused) and the tickets nearest it.
import { Injectable } from '@nestjs/common';
import pgvector from 'pgvector';
import { VECTOR_SEARCH_DEPTH } from '../database/database-pool';
import { TransactionalRepository } from '../database/transactional.repository';
import type { Passage } from '../models/resolution-model';
import { TicketStatus } from '../tickets/ticket.enums';

/** A passage the search found, with its fused score. */
export interface ChunkHit extends Passage {
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
export class KnowledgeSearchRepository extends TransactionalRepository {
  /**
   * Hybrid retrieval: the `depth` nearest chunks by cosine distance and the `depth` best chunks by
   * full-text rank (title and heading weigh most, then the document's opening, then the text), fused by
   * reciprocal rank fusion; then the best chunk of each document, so one long manual cannot take every place.
   */
  async hybridSearch(queryEmbedding: number[], tsquery: string, k: number, depth: { vector: number; text: number }): Promise<ChunkHit[]> {
    // The HNSW scan returns up to the session's ef_search (VECTOR_SEARCH_DEPTH, set as each connection opens).
    const rows: Array<{ id: string; document_id: string; title: string; heading: string | null; page: number | null; text: string; score: string }> =
      await this.manager.query(HYBRID_SEARCH, [pgvector.toSql(queryEmbedding), tsquery, Math.min(depth.vector, VECTOR_SEARCH_DEPTH), k, depth.text]);
    return rows.map((row) => ({
      chunkId: row.id,
      documentId: row.document_id,
      title: row.title,
      heading: row.heading,
      page: row.page,
      text: row.text,
      score: Number(row.score),
    }));
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
  async similarResolvedTickets(embedding: number[], options: { limit: number; excludeTicketId?: string }): Promise<ResolvedTicketHit[]> {
    // Filtered after the HNSW scan: the session's iterative scan (set as each connection opens) goes on until it has `limit` rows.
    const rows: ResolvedTicketRow[] = await this.manager.query(
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
  }
}
