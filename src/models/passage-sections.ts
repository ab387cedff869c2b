// A retrieved passage read by its structure, as an answer is built from it: its sections (under their
// headings) and each section's blocks — numbered steps, list items, paragraphs, code and tables — as plain
// text. Markdown syntax is read, never shown: emphasis, inline code, links and list marks are dropped;
// code blocks and tables are kept line for line, since a command or a row split into "sentences" means
// nothing.
import { tokenize } from '../knowledge/text-processing';

export type BlockKind = 'step' | 'item' | 'paragraph' | 'code' | 'table';

export interface Block {
  kind: BlockKind;
  /** Plain text; code and tables keep their lines. */
  text: string;
}

export interface Section {
  /** The heading the section stands under (plain text); null before the passage's first heading when it has none. */
  heading: string | null;
  blocks: Block[];
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;
const NUMBERED = /^ {0,3}\d{1,3}[.)][ \t]+(.*)$/;
const BULLET = /^ {0,3}[-*+•][ \t]+(.*)$/;
const TABLE_ROW = /^ {0,3}\|.*\|[ \t]*$/;
const TABLE_RULE = /^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/;
const CONTINUATION = /^( {2,}|\t)\S/;

/**
 * The sections of `text` that hold something (a heading followed at once by another is no section);
 * `heading` names the section the passage starts in (a chunk that begins below a
 * heading it does not contain).
 */
export function sectionsOf(text: string, heading: string | null): Section[] {
  const sections: Section[] = [];
  let section: Section = { heading: heading === null ? null : plainText(heading), blocks: [] };
  let open: { kind: BlockKind; lines: string[] } | null = null;
  let fence: string | null = null;
  const close = () => {
    if (open) {
      const block = toBlock(open.kind, open.lines);
      if (block.text) section.blocks.push(block);
    }
    open = null;
  };
  const start = (kind: BlockKind, line: string) => {
    close();
    open = { kind, lines: [line] };
  };

  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== null) {
      if (line.trim().startsWith(fence)) {
        close();
        fence = null;
      } else {
        open!.lines.push(line);
      }
      continue;
    }
    const fenced = FENCE.exec(line);
    if (fenced) {
      close();
      fence = fenced[1];
      open = { kind: 'code', lines: [] };
      continue;
    }
    const headed = HEADING.exec(line);
    if (headed) {
      close();
      if (section.blocks.length > 0) sections.push(section);
      section = { heading: plainText(headed[1]), blocks: [] };
      continue;
    }
    if (!line.trim()) {
      close();
      continue;
    }
    if (TABLE_ROW.test(line)) {
      if (open?.kind === 'table') open.lines.push(line);
      else start('table', line);
      continue;
    }
    const numbered = NUMBERED.exec(line);
    if (numbered) {
      start('step', numbered[1]);
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      start('item', bullet[1]);
      continue;
    }
    // A list item's indented continuation, or the next line of a paragraph.
    if (open && (open.kind === 'paragraph' || ((open.kind === 'step' || open.kind === 'item') && CONTINUATION.test(line)))) {
      open.lines.push(line);
      continue;
    }
    start('paragraph', line);
  }
  close();
  if (section.blocks.length > 0) sections.push(section);
  return sections;
}

function toBlock(kind: BlockKind, lines: string[]): Block {
  if (kind === 'code') return { kind, text: trimBlankLines(lines).join('\n') };
  if (kind === 'table') {
    const rows = lines.filter((line) => !TABLE_RULE.test(line)).map((line) => plainText(line.trim().replace(/^\||\|$/g, '')).split(/\s*\|\s*/).join(' | '));
    return { kind, text: rows.join('\n') };
  }
  return { kind, text: plainText(lines.join(' ')) };
}

function trimBlankLines(lines: string[]): string[] {
  let [first, last] = [0, lines.length];
  while (first < last && !lines[first].trim()) first += 1;
  while (last > first && !lines[last - 1].trim()) last -= 1;
  return lines.slice(first, last);
}

/** Markdown inline syntax read as the words it marks: emphasis, inline code (kept verbatim), links, images, escapes. */
export function plainText(markdown: string): string {
  return markdown
    .split(/(`+[^`]*?`+)/g)
    .map((part, index) => (index % 2 === 1 ? part.replace(/^`+|`+$/g, '') : inlineText(part)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function inlineText(markdown: string): string {
  // Escaped marks stand for themselves: set aside before the marks are read, put back after.
  const escaped: string[] = [];
  return markdown
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, (_, mark: string) => `\u0000${escaped.push(mark) - 1}\u0000`)
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}*_])([*_])(?=\S)(.+?)(?<=\S)\2(?![\p{L}\p{N}])/gu, '$1$3')
    .replace(/\u0000(\d+)\u0000/g, (_, index: string) => escaped[Number(index)]);
}

/** Steps as an answer gives them: each once (by its words, whatever its case or punctuation), none empty. */
export function distinctSteps(steps: string[]): string[] {
  const seen = new Set<string>();
  return steps.filter((step) => {
    const key = tokenize(step).join(' ');
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The whole plain text of a section, for matching. */
export function sectionText(section: Section): string {
  return [section.heading ?? '', ...section.blocks.map((block) => block.text)].join('\n');
}
