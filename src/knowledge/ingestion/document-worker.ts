// Runs in the ingestion threads (DocumentWorkers), never on the event loop: the CPU-bound part of an
// upload — reading the file, cutting it into chunks — and offline embeddings. Replies are plain data:
// an Error's class and code do not survive the trip between threads, so a refusal travels as a value.
import { setPriority } from 'node:os';
import { Piscina } from 'piscina';
import { chunkContext, chunkDocument, documentLead, indexText } from '../chunking';
import { DocumentError, DocumentErrorCode } from '../parsers/document-error';
import { DocumentKind } from '../parsers/detect-type';
import { ExpansionBudget } from '../parsers/expansion-budget';
import { extractDocument } from '../parsers/extract-text';
import { embedText, OFFLINE_EMBEDDING_DIMENSIONS } from '../../models/offline-embeddings';

try {
  // On Linux this lowers this thread alone: with as many threads as cores but one, the event loop still
  // wins the CPU whenever a request needs it.
  setPriority(0, 10);
} catch {
  // Not permitted here (some containers): the threads run at normal priority.
}

export interface PrepareTask {
  buffer: Uint8Array;
  filename: string;
  budget: ExpansionBudget;
}

export interface PreparedChunk {
  position: number;
  text: string;
  page: number | null;
  heading: string | null;
  context: string;
  /** What the chunk is embedded by: its context, the document's lead, then its text. */
  indexText: string;
}

export interface PreparedDocument {
  kind: DocumentKind;
  title: string;
  characters: number;
  lead: string;
  chunks: PreparedChunk[];
}

export type PrepareReply = { ok: true; document: PreparedDocument } | { ok: false; code: DocumentErrorCode; message: string };

export async function prepare(task: PrepareTask): Promise<PrepareReply> {
  try {
    const extracted = await extractDocument(Buffer.from(task.buffer.buffer, task.buffer.byteOffset, task.buffer.byteLength), task.filename, task.budget);
    const chunks = await chunkDocument({ title: extracted.title, kind: extracted.kind, text: extracted.text, pages: extracted.pages ?? undefined });
    const lead = documentLead(extracted.text);
    return {
      ok: true,
      document: {
        kind: extracted.kind,
        title: extracted.title,
        characters: extracted.text.length,
        lead,
        chunks: chunks.map((chunk) => ({
          position: chunk.position,
          text: chunk.text,
          page: chunk.page,
          heading: chunk.heading,
          context: chunkContext(chunk, extracted.title),
          indexText: indexText(chunk, extracted.title, lead),
        })),
      },
    };
  } catch (error) {
    if (error instanceof DocumentError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** Offline embeddings of `texts`, one after another in a single array (moved, not copied, to the caller). */
export function embed(texts: string[]): Float32Array {
  const vectors = new Float32Array(texts.length * OFFLINE_EMBEDDING_DIMENSIONS);
  texts.forEach((text, index) => vectors.set(embedText(text), index * OFFLINE_EMBEDDING_DIMENSIONS));
  return Piscina.move(vectors) as unknown as Float32Array;
}
