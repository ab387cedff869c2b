// Reading the knowledge base: GET /llm/search (the best passage of each matching document, and the tickets
// nearest the question), and what the assistant retrieves for a ticket.
import { Injectable } from '@nestjs/common';
import { VECTOR_SEARCH_DEPTH } from '../database/database-pool';
import { isStaff, Viewer } from '../tickets/tickets.service';
import { SearchMode, SearchResultDto } from './dto/search.dto';
import { Embedder } from './embedder.service';
import { ChunkHit, KnowledgeSearchRepository, ResolvedTicketHit } from './knowledge-search.repository';
import { toSearchQuery, withAlternatives } from './search-query';

/** How many candidates each ranking contributes before fusion (the assistant's retrieval uses it too): what each session's vector scan returns. */
export const CANDIDATE_DEPTH = VECTOR_SEARCH_DEPTH;

@Injectable()
export class KnowledgeSearch {
  constructor(
    private readonly knowledgeSearchRepository: KnowledgeSearchRepository,
    private readonly embedder: Embedder,
  ) {}

  async search(viewer: Viewer, q: string, k: number, mode: SearchMode = 'hybrid'): Promise<SearchResultDto> {
    const queryVector = await this.embedder.embedQuery(withAlternatives(q));
    // The single-ranking modes exist to measure what the fusion adds (npm run eval:kb).
    const depth = { vector: mode === 'text' ? 0 : CANDIDATE_DEPTH, text: mode === 'vector' ? 0 : CANDIDATE_DEPTH };
    const hits = await this.knowledgeSearchRepository.hybridSearch(queryVector, toSearchQuery(q), k, depth);
    const similar = await this.knowledgeSearchRepository.similarTickets(queryVector, { limit: k, requesterId: isStaff(viewer) ? undefined : viewer.id });
    return {
      query: q,
      results: hits.map((hit) => ({
        chunk_id: hit.chunkId,
        document_id: hit.documentId,
        title: hit.title,
        heading: hit.heading,
        page: hit.page,
        text: hit.text,
        score: Math.round(hit.score * 10000) / 10000,
      })),
      similar_tickets: similar.map((ticket) => ({ ticket_id: ticket.ticketId, title: ticket.title, status: ticket.status, similarity: ticket.similarity })),
    };
  }

  /** What a plan may draw on: the `passages` best passages for `query`, and the `resolved` nearest resolved tickets other than `excludeTicketId`. */
  async retrieve(query: string, counts: { passages: number; resolved: number }, excludeTicketId?: string): Promise<{ hits: ChunkHit[]; resolved: ResolvedTicketHit[] }> {
    const queryVector = await this.embedder.embedQuery(withAlternatives(query));
    const hits = await this.knowledgeSearchRepository.hybridSearch(queryVector, toSearchQuery(query), counts.passages, { vector: CANDIDATE_DEPTH, text: CANDIDATE_DEPTH });
    const resolved = await this.knowledgeSearchRepository.similarResolvedTickets(queryVector, { limit: counts.resolved, excludeTicketId });
    return { hits, resolved };
  }
}
