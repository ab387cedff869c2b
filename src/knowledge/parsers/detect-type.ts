// Recognises an upload by its content (magic bytes); the file name only tells Markdown from plain text.
import { extname } from 'node:path';
import { DocumentError } from './document-error';
import { readZipDirectory, type ZipEntry } from './zip-directory';

export type DocumentKind = 'pdf' | 'docx' | 'markdown' | 'text';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
// Office saves a password-protected DOCX (or XLSX, PPTX) as an OLE container holding an "EncryptedPackage" stream.
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const DOCX_PARTS = ['[Content_Types].xml', 'word/document.xml'];
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const MARKDOWN_HEADING = /^ {0,3}#{1,6}[ \t]+\S/m;
const CLAIMED_KINDS: Record<string, string> = { '.pdf': 'PDF', '.docx': 'DOCX' };

export function detectDocumentKind(buffer: Buffer, filename: string): DocumentKind {
  if (buffer.length === 0) throw new DocumentError('unsupported_type', 'The file is empty');
  if (startsWith(buffer, PDF_MAGIC)) return 'pdf';
  if (startsWith(buffer, ZIP_MAGIC)) {
    if (isDocx(readZipDirectory(buffer))) return 'docx';
    throw unsupported(filename);
  }
  if (startsWith(buffer, OLE_MAGIC)) {
    if (buffer.includes(ENCRYPTED_PACKAGE)) {
      throw new DocumentError('encrypted', 'The document is a password-protected Office file; remove the password and upload it again');
    }
    throw new DocumentError('unsupported_type', 'The file is an old-style Office document (.doc, .xls or .ppt); save it as DOCX or PDF and upload it again');
  }
  const text = decodeUtf8(buffer);
  if (text === null) throw unsupported(filename);
  return MARKDOWN_EXTENSIONS.has(extname(filename).toLowerCase()) || MARKDOWN_HEADING.test(text) ? 'markdown' : 'text';
}

/** The text of a UTF-8 file without its byte-order mark, or null for anything binary (NUL bytes, invalid UTF-8). */
export function decodeUtf8(buffer: Buffer): string | null {
  if (buffer.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer); // drops a leading BOM by default
  } catch {
    return null;
  }
}

function startsWith(buffer: Buffer, magic: Buffer): boolean {
  return buffer.subarray(0, magic.length).equals(magic);
}

function isDocx(entries: ZipEntry[]): boolean {
  const names = new Set(entries.map((entry) => entry.name));
  return DOCX_PARTS.every((part) => names.has(part));
}

function unsupported(filename: string): DocumentError {
  const claimed = CLAIMED_KINDS[extname(filename).toLowerCase()];
  const message = claimed
    ? `The file is named ${extname(filename)} but its content is not a ${claimed}; upload a PDF, DOCX, Markdown or text document`
    : 'The file is not a PDF, DOCX, Markdown or text document';
  return new DocumentError('unsupported_type', message);
}
