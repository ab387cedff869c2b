import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { TicketsModule } from '../tickets/tickets.module';
import { DocumentChunk } from './document-chunk.entity';
import { KnowledgeDocument } from './document.entity';
import { uploadFormOptions } from './document-upload.interceptor';
import { DocumentWorkers } from './ingestion/document-workers';
import { DocumentIngestion } from './document-ingestion.service';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { Embedder } from './embedder.service';
import { EmbeddingsRepository } from './embeddings.repository';
import { KnowledgeSearchRepository } from './knowledge-search.repository';
import { KnowledgeSearch } from './knowledge-search.service';
import { LlmController } from './llm.controller';
import { LlmService } from './llm.service';
import { Reembedding } from './reembedding.service';
import { TicketIndex } from './ticket-index.service';
import { createEmbeddingModel, createResolutionModel, createTriageModel, EMBEDDING_MODEL } from './providers/model.factory';
import { TRIAGE_MODEL } from './providers/triage-model';
import { RESOLUTION_MODEL } from './providers/resolution-model';
import { TicketEmbedding } from './ticket-embedding.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([KnowledgeDocument, DocumentChunk, TicketEmbedding]),
    TicketsModule,
    // Uploads are held in memory, one file, at most MAX_UPLOAD_MB (larger → 413), in a form bounded as a whole.
    MulterModule.registerAsync({ inject: [AppConfig], useFactory: uploadFormOptions }),
  ],
  controllers: [LlmController],
  providers: [
    DocumentIngestion,
    DocumentsService,
    KnowledgeSearch,
    LlmService,
    TicketIndex,
    Reembedding,
    Embedder,
    DocumentsRepository,
    KnowledgeSearchRepository,
    EmbeddingsRepository,
    DocumentWorkers,
    { provide: EMBEDDING_MODEL, inject: [AppConfig, DocumentWorkers], useFactory: createEmbeddingModel },
    { provide: RESOLUTION_MODEL, inject: [AppConfig], useFactory: createResolutionModel },
    { provide: TRIAGE_MODEL, inject: [AppConfig], useFactory: createTriageModel },
  ],
  exports: [LlmService, DocumentIngestion, Reembedding],
})
export class LlmModule {}
