import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config';
import { uploadFormOptions } from '../knowledge/document-upload.interceptor';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { createResolutionModel, createTriageModel } from '../models/model.factory';
import { RESOLUTION_MODEL } from '../models/resolution-model';
import { TRIAGE_MODEL } from '../models/triage-model';
import { TicketsModule } from '../tickets/tickets.module';
import { LlmController } from './llm.controller';
import { LlmService } from './llm.service';

/** The assistant (triage, plans, POST /llm/resolve_ticket) and the /llm routes of the knowledge base beneath it. */
@Module({
  imports: [
    KnowledgeModule,
    TicketsModule,
    // Uploads are held in memory, one file, at most MAX_UPLOAD_MB (larger → 413), in a form bounded as a whole.
    MulterModule.registerAsync({ inject: [AppConfig], useFactory: uploadFormOptions }),
  ],
  controllers: [LlmController],
  providers: [
    LlmService,
    { provide: RESOLUTION_MODEL, inject: [AppConfig], useFactory: createResolutionModel },
    { provide: TRIAGE_MODEL, inject: [AppConfig], useFactory: createTriageModel },
  ],
  exports: [LlmService, KnowledgeModule],
})
export class LlmModule {}
