// Splits an extracted document into overlapping chunks that remember their page or heading, and builds
// the text each chunk is searched by (its document's title and opening, then the chunk).
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { cleanText, expandIdentifiers } from './text-processing';

export interface TextChunk {
  text: string;
  /** 0-based order of the chunk in its document. */
  position: number;
  /** 1-based PDF page the chunk comes from; null for other kinds. */
  page: number | null;
  /** The nearest Markdown heading (`#` … `######`) at or above the chunk's start. */
  heading: string | null;
}

export interface ChunkableDocument {
  title: string;
  kind: 'markdown' | 'text' | 'pdf' | 'docx';
  /** A PDF's text per page (pages[0] is page 1). */
  pages?: string[];
  text: string;
}

// Measured on the sample knowledge base (document-level recall@5 of the hybrid search): sizes from 800
// to 1,500 characters all did about as well; 1,000 with 15% overlap keeps a chunk to a readable passage.
export const CHUNK_SIZE = 1000;
export const CHUNK_OVERLAP = 150;
/** How much of a document's opening is added to every chunk's search text (see `documentLead`). */
export const LEAD_LENGTH = 300;

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(?:```|~~~)/;

export async function chunkDocument(input: ChunkableDocument): Promise<TextChunk[]> {
  const options = { chunkSize: CHUNK_SIZE, chunkOverlap: CHUNK_OVERLAP };
  if (input.kind === 'pdf' && input.pages) {
    // Page by page, so that every chunk has exactly one page to cite.
    const splitter = new RecursiveCharacterTextSplitter(options);
    const chunks: Array<Omit<TextChunk, 'position'>> = [];
    for (const [index, page] of input.pages.entries()) {
      for (const text of await splitter.splitText(cleanText(page))) chunks.push({ text, page: index + 1, heading: null });
    }
    return chunks.map((chunk, position) => ({ ...chunk, position }));
  }

  const text = cleanText(input.text);
  if (input.kind !== 'markdown') {
    const texts = await new RecursiveCharacterTextSplitter(options).splitText(text);
    return texts.map((chunkText, position) => ({ text: chunkText, position, page: null, heading: null }));
  }

  const texts = await RecursiveCharacterTextSplitter.fromLanguage('markdown', options).splitText(text);
  const headings = markdownHeadings(text);
  let searchFrom = 0;
  return texts.map((chunkText, position) => {
    // The splitter returns trimmed slices of the text in order; overlap means the next one may start
    // before this one ends, so the search resumes just after this one's start.
    const found = text.indexOf(chunkText, searchFrom);
    const start = found === -1 ? searchFrom : found;
    searchFrom = start + 1;
    return { text: chunkText, position, page: null, heading: headingAt(headings, start) };
  });
}

/**
 * The opening of a document (its first LEAD_LENGTH characters, Markdown heading marks and runs of white
 * space removed, cut at a word): added to every chunk's search text, so that a chunk deep inside a
 * document is still found by what the document is about, which its first lines usually say.
 */
export function documentLead(text: string): string {
  const prose = cleanText(text)
    .split('\n')
    .map((line) => line.replace(/^ {0,3}#{1,6}[ \t]+/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (prose.length <= LEAD_LENGTH) return prose;
  const cut = prose.slice(0, LEAD_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace > 0 ? cut.slice(0, lastSpace) : cut;
}

/**
 * The words a chunk is found by besides its text, for full-text weight 'A': the document title, with
 * the parts of dotted names spelled out ("systemd.timer" also as "systemd timer"), and the heading.
 */
export function chunkContext(chunk: TextChunk, title: string): string {
  const heading = chunk.heading && chunk.heading !== title ? `\n${expandIdentifiers(chunk.heading)}` : '';
  return `${expandIdentifiers(title)}${heading}`;
}

/** The text to embed for a chunk: its context, its document's lead (`documentLead`), then the chunk. */
export function indexText(chunk: TextChunk, title: string, lead = ''): string {
  return [chunkContext(chunk, title), lead, chunk.text].filter((part) => part !== '').join('\n');
}

interface Heading {
  offset: number;
  text: string;
}

/** Markdown headings with their offsets; lines inside fenced code blocks (`# a comment`) do not count. */
function markdownHeadings(text: string): Heading[] {
  const headings: Heading[] = [];
  let offset = 0;
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    else if (!inFence) {
      const match = HEADING.exec(line);
      if (match) headings.push({ offset, text: match[2].trim() });
    }
    offset += line.length + 1;
  }
  return headings;
}

function headingAt(headings: Heading[], offset: number): string | null {
  let current: string | null = null;
  for (const heading of headings) {
    if (heading.offset > offset) break;
    current = heading.text;
  }
  return current;
}
