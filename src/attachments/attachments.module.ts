import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { TicketsModule } from '../tickets/tickets.module';
import { Attachment } from './attachment.entity';
import { AttachmentScanner } from './attachment-scanner';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

/** Files on tickets. Beside the knowledge base, whose threads read an attached PDF as they read an upload. */
@Module({
  imports: [TypeOrmModule.forFeature([Attachment]), TicketsModule, KnowledgeModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentsRepository, AttachmentScanner],
})
export class AttachmentsModule {}
