import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { createEmbeddingModel, EMBEDDING_MODEL } from '../models/model.factory';
import { TicketsModule } from '../tickets/tickets.module';
import { DocumentChunk } from './document-chunk.entity';
import { DocumentIngestion } from './document-ingestion.service';
import { KnowledgeDocument } from './document.entity';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { Embedder } from './embedder.service';
import { EmbeddingsRepository } from './embeddings.repository';
import { DocumentWorkers } from './ingestion/document-workers';
import { KnowledgeSearchRepository } from './knowledge-search.repository';
import { KnowledgeSearch } from './knowledge-search.service';
import { Reembedding } from './reembedding.service';
import { TicketEmbedding } from './ticket-embedding.entity';
import { TicketIndex } from './ticket-index.service';

/**
 * The knowledge base: documents (ingestion, parsing in worker threads, chunks and their vectors), hybrid
 * search over them, and the tickets' own vectors for "similar tickets". Beneath the assistant (LlmModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeDocument, DocumentChunk, TicketEmbedding]), TicketsModule],
  providers: [
    DocumentIngestion,
    DocumentsService,
    KnowledgeSearch,
    TicketIndex,
    Reembedding,
    Embedder,
    DocumentsRepository,
    KnowledgeSearchRepository,
    EmbeddingsRepository,
    DocumentWorkers,
    { provide: EMBEDDING_MODEL, inject: [AppConfig, DocumentWorkers], useFactory: createEmbeddingModel },
  ],
  // Embedder: incident detection compares new tickets by their vectors.
  // DocumentWorkers: ticket attachments are read by the same guarded threads before they are stored.
  exports: [DocumentIngestion, DocumentsService, KnowledgeSearch, Reembedding, TicketIndex, DocumentWorkers, Embedder],
})
export class KnowledgeModule {}
