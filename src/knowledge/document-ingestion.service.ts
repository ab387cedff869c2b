// Adds a file to the knowledge base: read in a worker thread, chunked, embedded, stored in short steps.
import { ConflictException, Injectable, Logger, OnApplicationBootstrap, ServiceUnavailableException } from '@nestjs/common';
import { webcrypto } from 'node:crypto';
import { Semaphore, SemaphoreTimeoutError } from '../common/semaphore';
import { AppConfig } from '../config/app-config';
import { Viewer } from '../tickets/tickets.service';
import { toDocumentHttpError } from './document-http-error';
import { DocumentsRepository } from './documents.repository';
import { IngestedDocumentDto } from './dto/document.dto';
import { EMBEDDING_BATCH, Embedder } from './embedder.service';
import { DocumentWorkers } from './ingestion/document-workers';
import { expansionBudget } from './parsers/expansion-budget';

export interface UploadedDocument {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** How old an unfinished document on a shared server must be before start-up removes it. */
const UNFINISHED_DOCUMENT_AGE_MS = 60 * 60 * 1000;

const MIME_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  text: 'text/plain',
} as const;

@Injectable()
export class DocumentIngestion implements OnApplicationBootstrap {
  private readonly logger = new Logger(DocumentIngestion.name);
  private readonly ingestionSlots: Semaphore;

  constructor(
    private readonly documentsRepository: DocumentsRepository,
    private readonly embedder: Embedder,
    private readonly documentWorkers: DocumentWorkers,
    private readonly config: AppConfig,
  ) {
    this.ingestionSlots = new Semaphore(config.ingestion.concurrency);
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
        embeddingModel: this.embedder.modelName,
        uploaderId: uploader.id,
      })
      .catch(async (error: unknown) => {
        await this.assertNotIngested(sha256); // the same file uploaded twice at once
        throw error;
      });
    try {
      for (let start = 0; start < prepared.chunks.length; start += EMBEDDING_BATCH) {
        const batch = prepared.chunks.slice(start, start + EMBEDDING_BATCH);
        const vectors = await this.embedder.embedDocuments(batch.map((chunk) => chunk.indexText));
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

  private async assertNotIngested(sha256: string): Promise<void> {
    const existing = await this.documentsRepository.findDocumentBySha256(sha256);
    if (existing) {
      throw new ConflictException({ message: `This file was already ingested as document ${existing.id} (${existing.title})`, document_id: existing.id });
    }
  }
}
