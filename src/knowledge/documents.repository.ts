// The knowledge base's documents and their chunks: stored in steps as an upload is read, listed, deleted.
import { Injectable } from '@nestjs/common';
import { PageRequest } from '../common/keyset-cursor';
import pgvector from 'pgvector';
import { RELAXED_COMMIT } from '../database/relaxed-commit';
import { TransactionalRepository } from '../database/transactional.repository';
import { DocumentChunk } from './document-chunk.entity';
import { KnowledgeDocument } from './document.entity';

export type NewDocument = Omit<KnowledgeDocument, 'id' | 'createdAt' | 'uploader' | 'ready'>;
export type NewChunk = Pick<DocumentChunk, 'position' | 'text' | 'page' | 'heading' | 'context' | 'lead' | 'embedding'>;

/**
 * Rows per chunk INSERT. On the embedded database a statement holds the only connection, and each row's
 * vector index insert costs milliseconds there: measured with the bench's ingest scenario, 25 rows kept /health
 * waiting up to 253 ms, 8 rows 85 ms, 4 rows 51 ms, for the same chunks per second.
 */
const CHUNKS_PER_STATEMENT = 4;

@Injectable()
export class DocumentsRepository extends TransactionalRepository {
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
}
