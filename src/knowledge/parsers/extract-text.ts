// Text extraction for knowledge-base uploads: PDF, DOCX, Markdown and plain text, recognised by content.
import { basename, extname } from 'node:path';
import { decodeUtf8, detectDocumentKind, type DocumentKind } from './detect-type';
import { DocumentError } from './document-error';
import { readDocx } from './docx-text';
import { ExpansionBudget } from './expansion-budget';
import { assertPdfExpandsWithin } from './pdf/pdf-expansion';
import { readPdf } from './pdf-text';

export interface ExtractedDocument {
  kind: DocumentKind;
  title: string;
  text: string;
  /** A PDF's text per page (pages[0] is page 1; a page without text is ''), and `text` is exactly
   *  `pages.join('\n\n')`; null for other kinds. */
  pages: string[] | null;
}

const MAX_TITLE_LENGTH = 200;
const MARKDOWN_H1 = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const MARKDOWN_HEADING_MARKS = /^ {0,3}#{1,6}[ \t]+/;
const MARKDOWN_FENCE = /^ {0,3}(?:```|~~~)/;

/** Refuses, before any parser inflates it, a document that would expand past `budget` (see ExpansionBudget). */
export async function extractDocument(buffer: Buffer, filename: string, budget: ExpansionBudget): Promise<ExtractedDocument> {
  const kind = detectDocumentKind(buffer, filename);
  const fallbackTitle = basename(filename, extname(filename)) || filename;

  if (kind === 'pdf') {
    assertPdfExpandsWithin(buffer, budget);
    const pdf = await readPdf(buffer);
    const pages = pdf.pages.map(normaliseText);
    const text = pages.join('\n\n');
    requireText(text, 'The PDF contains no text; scanned PDFs need OCR, which is not supported');
    return { kind, title: capTitle(pdf.title ?? firstLine(text.split('\n')) ?? fallbackTitle), text, pages };
  }

  const raw = kind === 'docx' ? await readDocx(buffer, budget) : (decodeUtf8(buffer) ?? '');
  const text = normaliseText(raw);
  requireText(text, kind === 'docx' ? 'The DOCX contains no text' : 'The document contains no text');
  const title = kind === 'markdown' ? markdownTitle(text) : firstLine(text.split('\n'));
  return { kind, title: capTitle(title ?? fallbackTitle), text, pages: null };
}

/** LF line ends, no leading blank lines, no trailing whitespace. */
function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

function requireText(text: string, message: string): void {
  if (text.trim() === '') throw new DocumentError('empty', message);
}

/** The first line with a letter or digit in it: a rule such as `---` or `***` makes no title. */
function firstLine(lines: string[]): string | null {
  return lines.map((line) => line.trim()).find((line) => /[\p{L}\p{N}]/u.test(line)) ?? null;
}

/** The first level-1 heading, else the first line without its heading marks; code blocks (`# a comment`) never count. */
function markdownTitle(markdown: string): string | null {
  const prose: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (MARKDOWN_FENCE.test(line)) inFence = !inFence;
    else if (!inFence) prose.push(line);
  }
  const heading = prose.map((line) => MARKDOWN_H1.exec(line)?.[1].trim()).find(Boolean);
  return heading ?? firstLine(prose.map((line) => line.replace(MARKDOWN_HEADING_MARKS, '')));
}

function capTitle(title: string): string {
  return title.length > MAX_TITLE_LENGTH ? `${title.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…` : title;
}
