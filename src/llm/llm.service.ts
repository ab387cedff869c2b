import {
  BadGatewayException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  ServiceUnavailableException,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { webcrypto } from 'node:crypto';
import { CoalescingBatch } from '../common/coalescing-batch';
import { Semaphore, SemaphoreTimeoutError } from '../common/semaphore';
import { nextCursor, pageRequest } from '../common/keyset-cursor';
import { AppConfig } from '../config/app-config';
import { TICKET_CREATED, TICKET_UPDATED, TicketCreatedSignal, TicketUpdatedSignal } from '../tickets/ticket-events';
import { TicketSuggestion } from '../tickets/ticket-suggestion';
import { TicketDto } from '../tickets/dto/ticket.dto';
import type { TicketAudience } from '../tickets/ticket-audience';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { isStaff, TicketsService, Viewer } from '../tickets/tickets.service';
import { EMBEDDING_DIMENSIONS } from './document-chunk.entity';
import { DocumentDetailDto, DocumentListDto, IngestedDocumentDto, mapChunk, mapDocument } from './dto/document.dto';
import { ResolutionDto } from './dto/resolution.dto';
import { SearchMode, SearchResultDto } from './dto/search.dto';
import { DocumentsRepository } from './documents.repository';
import { EmbeddingsRepository } from './embeddings.repository';
import { KnowledgeSearchRepository, ResolvedTicketHit } from './knowledge-search.repository';
import { toDocumentHttpError } from './document-http-error';
import { DocumentWorkers } from './ingestion/document-workers';
import { expansionBudget } from './parsers/expansion-budget';
import { EMBEDDING_MODEL, EmbeddingModel } from './providers/model.factory';
import { ModelUnavailableError, Passage, RESOLUTION_MODEL, ResolutionModel } from './providers/resolution-model';
import { TRIAGE_MODEL, TriageModel, TriageResult } from './providers/triage-model';
import { toSearchQuery } from './search-query';

export interface UploadedDocument {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** What retrieval found for a ticket: passages (with their fused score) and similar resolved tickets. */
export interface RetrievedContext {
  passages: Array<Passage & { score: number }>;
  /** Their resolutions only: another requester's title or description never reaches a prompt (kept in checkpoints). */
  similarTickets: Array<{ ticketId: string; resolution: string; similarity: number }>;
}

const EMBEDDING_BATCH = 64;
/** How old an unfinished document on a shared server must be before start-up removes it. */
const UNFINISHED_DOCUMENT_AGE_MS = 60 * 60 * 1000;
/** How many candidates each ranking contributes before fusion. */
const CANDIDATE_DEPTH = 100;
/** How many similar resolved tickets a plan may draw on. */
const SIMILAR_RESOLVED_TICKETS = 3;

@Injectable()
export class LlmService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LlmService.name);
  private readonly ticketIndexing = new CoalescingBatch<string>((ticketIds) => this.indexTickets(ticketIds), EMBEDDING_BATCH);
  private readonly ingestionSlots: Semaphore;

  constructor(
    private readonly documentsRepository: DocumentsRepository,
    private readonly knowledgeSearchRepository: KnowledgeSearchRepository,
    private readonly embeddingsRepository: EmbeddingsRepository,
    private readonly ticketsService: TicketsService,
    private readonly ticketWriter: TicketWriter,
    private readonly config: AppConfig,
    @Inject(EMBEDDING_MODEL) private readonly embeddingModel: EmbeddingModel,
    @Inject(RESOLUTION_MODEL) private readonly resolutionModel: ResolutionModel,
    @Inject(TRIAGE_MODEL) private readonly triageModel: TriageModel,
    private readonly documentWorkers: DocumentWorkers,
  ) {
    this.ingestionSlots = new Semaphore(config.ingestion.concurrency);
  }

  /** Vectors of different models must not be compared: throws while any stored vector was made by another model. */
  async assertNoStaleVectors(): Promise<void> {
    const stale = (await this.embeddingsRepository.embeddingModelsInUse()).filter((model) => model !== this.embeddingModel.name);
    if (stale.length === 0) return;
    throw new Error(
      `The knowledge base holds vectors made by ${stale.join(', ')}, but EMBEDDINGS_PROVIDER now gives ` +
        `${this.embeddingModel.name}. Run \`npm run kb:reembed\` once to re-embed everything, or switch back.`,
    );
  }

  /**
   * Reads the file in a worker thread, then stores the document in short steps (its row, its chunks in
   * batches as they are embedded, then ready), so that the instance keeps serving meanwhile. At most
   * INGEST_CONCURRENCY uploads at once; the next ones wait up to INGEST_QUEUE_SECONDS, then get 503.
   */
  async ingest(file: UploadedDocument, uploader: Viewer): Promise<IngestedDocumentDto> {
    const release = await this.ingestionSlots.acquire(this.config.ingestion.queueMs).catch((error: unknown) => {
      if (!(error instanceof SemaphoreTimeoutError)) throw error;
      throw new ServiceUnavailableException(
        `${this.config.ingestion.concurrency} document(s) are being ingested and this one waited ${Math.round(error.waitedMs / 1000)} s for its turn; try again shortly`,
      );
    });
    try {
      return await this.ingestNow(file, uploader);
    } finally {
      release();
    }
  }

  private async ingestNow(file: UploadedDocument, uploader: Viewer): Promise<IngestedDocumentDto> {
    // Web Crypto hashes on libuv's thread pool: 20 MB would otherwise hold the event loop ~40 ms.
    const sha256 = Buffer.from(await webcrypto.subtle.digest('SHA-256', file.buffer)).toString('hex');
    await this.assertNotIngested(sha256);
    const budget = expansionBudget(file.size, this.config.uploads);
    const prepared = await this.documentWorkers.prepare(file.buffer, file.originalname, budget).catch((error: unknown) => {
      throw toDocumentHttpError(error);
    });
    const document = await this.documentsRepository
      .startDocument({
        title: prepared.title.slice(0, 300),
        filename: file.originalname.slice(0, 255),
        mimeType: MIME_TYPES[prepared.kind],
        sha256,
        sizeBytes: file.size,
        characters: prepared.characters,
        chunkCount: prepared.chunks.length,
        embeddingModel: this.embeddingModel.name,
        uploaderId: uploader.id,
      })
      .catch(async (error: unknown) => {
        await this.assertNotIngested(sha256); // the same file uploaded twice at once
        throw error;
      });
    try {
      for (let start = 0; start < prepared.chunks.length; start += EMBEDDING_BATCH) {
        const batch = prepared.chunks.slice(start, start + EMBEDDING_BATCH);
        const vectors = await this.embed(batch.map((chunk) => chunk.indexText));
        await this.documentsRepository.insertChunks(
          document.id,
          batch.map((chunk, index) => ({
            position: chunk.position,
            text: chunk.text,
            page: chunk.page,
            heading: chunk.heading?.slice(0, 300) ?? null,
            context: chunk.context,
            lead: prepared.lead,
            embedding: vectors[index],
          })),
        );
      }
      await this.documentsRepository.markReady(document.id);
    } catch (error) {
      await this.documentsRepository.deleteDocument(document.id, false).catch((cleanup: unknown) => this.logger.warn(`Could not remove unfinished document ${document.id}: ${String(cleanup)}`));
      throw error;
    }
    return { document_id: document.id, title: document.title, chunks: prepared.chunks.length, characters: prepared.characters };
  }

  /**
   * An upload cut short by a crash leaves its document unfinished: removed at start-up. On the embedded
   * database this process is the only writer, so every unfinished one is stale; on a server another
   * instance may be storing one right now, so only those older than an hour go.
   */
  async onApplicationBootstrap(): Promise<void> {
    const before = this.config.databaseUrl ? new Date(Date.now() - UNFINISHED_DOCUMENT_AGE_MS) : new Date();
    const removed = await this.documentsRepository.deleteUnfinished(before);
    if (removed > 0) this.logger.warn(`Removed ${removed} document(s) whose upload was interrupted`);
  }

  async listDocuments(query: { limit: number; offset: number; cursor?: string }): Promise<DocumentListDto> {
    const [documents, total] = await this.documentsRepository.findDocumentPage(pageRequest(query));
    return { documents: documents.map(mapDocument), count: documents.length, total, next_cursor: nextCursor(documents, query.limit) };
  }

  async getDocument(id: string): Promise<DocumentDetailDto> {
    const document = await this.documentsRepository.findDocument(id);
    if (!document) throw new NotFoundException(`Document ${id} not found`);
    return { ...mapDocument(document), chunk_list: (await this.documentsRepository.findChunks(id)).map(mapChunk) };
  }

  async deleteDocument(id: string): Promise<void> {
    if (!(await this.documentsRepository.deleteDocument(id))) throw new NotFoundException(`Document ${id} not found`);
  }

  async search(viewer: Viewer, q: string, k: number, mode: SearchMode = 'hybrid'): Promise<SearchResultDto> {
    const [queryVector] = await this.embed([q], 'query');
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

  async resolveTicket(actor: Viewer, ticketId: string): Promise<ResolutionDto> {
    const ticket = await this.ticketsService.get(actor, ticketId);
    const context = await this.retrieveContext(`${ticket.title}\n${ticket.description}`, ticketId);
    const suggestion = await this.composePlan(ticket, context, 'staff');
    await this.ticketWriter.recordSuggestion(ticketId, actor.id, suggestion);
    return { ticket_id: ticketId, ...suggestion };
  }

  /** Reads a new request as the workflow's triage step (the offline provider uses transparent rules). */
  triage(ticket: TicketDto): Promise<TriageResult> {
    return this.triageModel
      .triage({
        title: ticket.title,
        description: ticket.description,
        requestType: ticket.request_type,
        category: ticket.category,
        priority: ticket.priority,
        urgency: ticket.urgency,
        businessJustification: ticket.business_justification,
      })
      .catch((error: unknown) => {
        throw toModelHttpError(error);
      });
  }

  /** The knowledge a plan may draw on: the best passages and similar resolved tickets (never the ticket itself). */
  async retrieveContext(query: string, ticketId?: string): Promise<RetrievedContext> {
    const [queryVector] = await this.embed([query], 'query');
    const hits = await this.knowledgeSearchRepository.hybridSearch(queryVector, toSearchQuery(query), 5, { vector: CANDIDATE_DEPTH, text: CANDIDATE_DEPTH });
    const similar = await this.knowledgeSearchRepository.similarResolvedTickets(queryVector, { limit: SIMILAR_RESOLVED_TICKETS, excludeTicketId: ticketId });
    return {
      passages: hits.map(({ chunkId, documentId, title, heading, page, text, score }) => ({ chunkId, documentId, title, heading, page, text, score })),
      similarTickets: similar.map((hit) => ({ ticketId: hit.ticketId, resolution: withoutOwnWords(hit), similarity: hit.similarity })),
    };
  }

  /**
   * A suggestion grounded in `context`, written for `audience`: the requester (the workflow's plan, which
   * they read) or support (POST /llm/resolve_ticket). Citations of passages the model was not shown are dropped.
   */
  async composePlan(
    ticket: Pick<TicketDto, 'title' | 'description' | 'request_type' | 'category'>,
    context: RetrievedContext,
    audience: TicketAudience,
  ): Promise<TicketSuggestion> {
    const draft = await this.resolutionModel
      .suggest({
        audience,
        ticket: { title: ticket.title, description: ticket.description, requestType: ticket.request_type, category: ticket.category },
        passages: context.passages,
        pastResolutions: context.similarTickets.map((similar) => similar.resolution).filter(Boolean),
      })
      .catch((error: unknown) => {
        throw toModelHttpError(error);
      });
    const retrieved = new Map(context.passages.map((passage) => [passage.chunkId, passage]));
    const citations = [...new Set(draft.citedChunkIds)]
      .filter((chunkId) => retrieved.has(chunkId))
      .map((chunkId) => ({ document_id: retrieved.get(chunkId)!.documentId, chunk_id: chunkId, title: retrieved.get(chunkId)!.title }));
    return {
      summary: draft.summary,
      steps: draft.steps,
      citations,
      confidence: Math.min(1, Math.max(0, Number.isFinite(draft.confidence) ? draft.confidence : 0)),
      provider: this.resolutionModel.name,
      suggested_at: new Date().toISOString(),
    };
  }

  @OnEvent(TICKET_CREATED, { async: true, promisify: true })
  async onTicketCreated({ ticketId }: TicketCreatedSignal): Promise<void> {
    await this.indexTicket(ticketId);
  }

  @OnEvent(TICKET_UPDATED, { async: true, promisify: true })
  async onTicketUpdated({ ticketId, status }: TicketUpdatedSignal): Promise<void> {
    if (status === 'resolved') await this.indexTicket(ticketId);
  }

  /**
   * Keeps a ticket's vector for "similar past tickets"; resolves once it is stored. Failures are logged,
   * never thrown at the caller. Tickets filed together are read, embedded and stored together.
   */
  indexTicket(ticketId: string): Promise<void> {
    return this.ticketIndexing.add(ticketId);
  }

  private async indexTickets(ticketIds: string[]): Promise<void> {
    try {
      const tickets = await this.ticketsService.findByIds([...new Set(ticketIds)]);
      if (tickets.length === 0) return;
      const vectors = await this.embed(tickets.map((ticket) => [ticket.title, ticket.description, ticket.resolution ?? ''].join('\n')));
      await this.embeddingsRepository.upsertTicketEmbeddings(tickets.map((ticket, index) => ({ ticketId: ticket.ticket_id, embedding: vectors[index] })), this.embeddingModel.name);
    } catch (error) {
      this.logger.warn(`Could not index tickets ${ticketIds.join(', ')} for similarity: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Re-embeds every chunk and ticket with the configured model (after EMBEDDINGS_PROVIDER changed). */
  async reembedAll(): Promise<{ chunks: number; tickets: number }> {
    this.logger.log(`Re-embedding the knowledge base with ${this.embeddingModel.name}`);
    let chunks = 0;
    let after: string | null = null;
    for (;;) {
      const batch = await this.embeddingsRepository.findChunksAfter(after, 200);
      if (batch.length === 0) break;
      // The same text as at ingestion (indexText): context, lead, then the chunk.
      const vectors = await this.embed(batch.map((chunk) => [chunk.context, chunk.lead, chunk.text].filter(Boolean).join('\n')));
      await this.embeddingsRepository.updateChunkEmbeddings(batch.map((chunk, index) => ({ id: chunk.id, embedding: vectors[index] })));
      chunks += batch.length;
      after = batch[batch.length - 1].id;
    }
    await this.embeddingsRepository.setDocumentsEmbeddingModel(this.embeddingModel.name);
    await this.embeddingsRepository.clearTicketEmbeddings();
    let tickets = 0;
    let afterTicket: string | null = null;
    for (;;) {
      const ids = await this.ticketsService.findIdsAfter(afterTicket, 200);
      if (ids.length === 0) break;
      await Promise.all(ids.map((id) => this.indexTicket(id)));
      tickets += ids.length;
      afterTicket = ids[ids.length - 1];
    }
    this.logger.log(`Re-embedded ${chunks} chunks and ${tickets} tickets`);
    return { chunks, tickets };
  }

  private async embed(texts: string[], kind: 'documents' | 'query' = 'documents'): Promise<number[][]> {
    const vectors: number[][] = [];
    try {
      if (kind === 'query') {
        vectors.push(await this.embeddingModel.embeddings.embedQuery(texts[0]));
      } else {
        for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
          vectors.push(...(await this.embeddingModel.embeddings.embedDocuments(texts.slice(start, start + EMBEDDING_BATCH))));
        }
      }
    } catch (error) {
      throw new ServiceUnavailableException(
        `The embedding model (${this.embeddingModel.name}) failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
      );
    }
    const wrong = vectors.find((vector) => vector.length !== EMBEDDING_DIMENSIONS);
    if (wrong) throw new BadGatewayException(`The embedding model (${this.embeddingModel.name}) returned ${wrong.length} dimensions, not ${EMBEDDING_DIMENSIONS}`);
    return vectors;
  }

  private async assertNotIngested(sha256: string): Promise<void> {
    const existing = await this.documentsRepository.findDocumentBySha256(sha256);
    if (existing) {
      throw new ConflictException({ message: `This file was already ingested as document ${existing.id} (${existing.title})`, document_id: existing.id });
    }
  }
}

const MIME_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  text: 'text/plain',
} as const;

/**
 * A past ticket's resolution without its own title, description or justification, wherever it quotes them
 * (an approval's resolution quotes the title): a prompt for one requester never carries another's words.
 */
function withoutOwnWords(hit: ResolvedTicketHit): string {
  // Longest first: a title quoted inside the description must not break the description's match.
  const own = [hit.title, hit.description, hit.businessJustification ?? '']
    .map((text) => text.trim())
    .filter((text) => text.length >= 3)
    .sort((a, b) => b.length - a.length);
  return own.reduce((resolution, text) => resolution.replace(new RegExp(escapeRegExp(text), 'gi'), '[…]'), hit.resolution);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toModelHttpError(error: unknown): Error {
  if (error instanceof ModelUnavailableError) {
    return error.timedOut ? new ServiceUnavailableException(error.message) : new BadGatewayException(error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
