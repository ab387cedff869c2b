// DOCX text through mammoth, after zip-bomb checks: the declared sizes first (no inflating), then that they are true.
import mammoth from 'mammoth';
import { DocumentError } from './document-error';
import { ExpansionBudget, formatBytes, tooLargeUncompressed } from './expansion-budget';
import { assertEntriesInflateAsDeclared, readZipDirectory } from './zip-directory';

/**
 * Raw text, paragraphs separated by blank lines (headings come out as plain paragraphs). Refuses, before anything is
 * inflated, an archive whose entries declare more than the budget in total, and as corrupt one whose entries
 * inflate to more than they declare: what mammoth inflates is then at most the budget.
 */
export async function readDocx(buffer: Buffer, budget: ExpansionBudget): Promise<string> {
  const entries = readZipDirectory(buffer);
  // The total bounds every single entry too.
  const declaredBytes = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (declaredBytes > budget.bytes) throw tooLargeUncompressed('DOCX', budget);
  const heavyPart = entries.find((entry) => /\.(xml|rels)$/i.test(entry.name) && entry.uncompressedSize > (budget.xmlPartBytes ?? Infinity));
  if (heavyPart) {
    throw new DocumentError(
      'too_complex',
      `The DOCX's ${heavyPart.name} holds ${formatBytes(heavyPart.uncompressedSize)} of XML, more than the ${formatBytes(budget.xmlPartBytes!)} its reading may hold (INGEST_WORKER_MEMORY_MB / 32); split the document`,
    );
  }
  // mammoth's JSZip trusts the declared sizes until it has inflated everything; make sure they are true first.
  assertEntriesInflateAsDeclared(buffer, entries);
  try {
    const { value } = await mammoth.extractRawText({ buffer });
    return value;
  } catch (error) {
    throw new DocumentError('corrupt', 'The DOCX is damaged and its text cannot be read', { cause: error });
  }
}
