// The knowledge base's documents as support sees them: a page of them, one with its chunks, deleting one.
import { Injectable, NotFoundException } from '@nestjs/common';
import { nextCursor, pageRequest } from '../common/keyset-cursor';
import { DocumentsRepository } from './documents.repository';
import { DocumentDetailDto, DocumentListDto, mapChunk, mapDocument } from './dto/document.dto';

@Injectable()
export class DocumentsService {
  constructor(private readonly documentsRepository: DocumentsRepository) {}

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
}
