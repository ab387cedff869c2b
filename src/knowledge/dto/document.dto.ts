import { KnowledgeDocument } from '../document.entity';
import { DocumentChunk } from '../document-chunk.entity';

export class IngestedDocumentDto {
  document_id: string;
  /** @example "IT Ticketing System" */
  title: string;
  /** How many chunks were stored. */
  chunks: number;
  /** Characters of text extracted. */
  characters: number;
}

export class DocumentDto {
  document_id: string;
  title: string;
  filename: string;
  /** @example "application/pdf" */
  mime_type: string;
  size_bytes: number;
  characters: number;
  chunks: number;
  sha256: string;
  /** @example "offline:hashed-ngrams-v1" */
  embedding_model: string;
  uploader_id: string;
  created_at: Date;
}

export class ChunkDto {
  chunk_id: string;
  position: number;
  page: number | null;
  heading: string | null;
  text: string;
}

export class DocumentDetailDto extends DocumentDto {
  chunk_list: ChunkDto[];
}

export class DocumentListDto {
  documents: DocumentDto[];
  count: number;
  total: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export function mapDocument(document: KnowledgeDocument): DocumentDto {
  return {
    document_id: document.id,
    title: document.title,
    filename: document.filename,
    mime_type: document.mimeType,
    size_bytes: document.sizeBytes,
    characters: document.characters,
    chunks: document.chunkCount,
    sha256: document.sha256,
    embedding_model: document.embeddingModel,
    uploader_id: document.uploaderId,
    created_at: document.createdAt,
  };
}

export function mapChunk(chunk: DocumentChunk): ChunkDto {
  return { chunk_id: chunk.id, position: chunk.position, page: chunk.page, heading: chunk.heading, text: chunk.text };
}

/** The upload's form fields besides `file`: none, so that a stray one (`uploader_id`, `role`…) is refused rather than ignored. */
export class IngestDocumentFieldsDto {}
