// Markdown as the console shows it: formatted (markdown-it, raw HTML escaped, only http(s) and mailto
// links, which open in a new tab without access to the console) or as plain text for snippets and titles.
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';

const EXTERNAL = /^(?:https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface RenderOptions {
  /** The heading level a passage's largest heading gets, so its headings sit under the page's own (h1, h2). */
  topHeadingLevel?: number;
}

/**
 * Links go nowhere but to other sites (a relative link in an uploaded file has nothing to resolve against
 * here, and `#…` would be taken by the console's router): other links keep their text only, as do images,
 * which the console's Content-Security-Policy would not load from elsewhere anyway. Table alignment would
 * be an inline style: dropped.
 */
function consoleSafety(state: StateCore): void {
  const levels = state.tokens.filter((token) => token.type === 'heading_open').map((token) => Number(token.tag.slice(1)));
  const top = (state.env as { topHeadingLevel?: number }).topHeadingLevel;
  const shift = top && levels.length ? top - Math.min(...levels) : 0;
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Math.max(1, Number(token.tag.slice(1)) + shift))}`;
    if (token.type === 'th_open' || token.type === 'td_open') token.attrs = null;
    if (token.children) token.children = unlinkInternal(token.children);
  }
}

function unlinkInternal(children: Token[]): Token[] {
  const open: boolean[] = [];
  return children.flatMap((token) => {
    if (token.type === 'link_open') {
      const external = EXTERNAL.test(String(token.attrGet('href') ?? ''));
      open.push(external);
      if (!external) return [];
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
      return [token];
    }
    if (token.type === 'link_close') return open.pop() ? [token] : [];
    if (token.type === 'image') {
      token.type = 'text';
      token.tag = '';
      token.content = plainOf(token.children ?? []);
      token.children = null;
      token.attrs = null;
    }
    return [token];
  });
}

function markdown(breaks: boolean) {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks });
  // Refused links (javascript:, data:, …) stay as their literal text, escaped.
  md.validateLink = (url) => !HAS_SCHEME.test(url) || EXTERNAL.test(url);
  md.core.ruler.push('console_safety', consoleSafety);
  return md;
}

/** Documents: Markdown's own line joining. */
const documentMarkdown = markdown(false);
/** Answers and resolutions typed or generated line by line: a new line stays one. */
const messageMarkdown = markdown(true);

/** A document's Markdown as HTML that is safe to set as a element's content (no raw HTML passes). */
export function renderDocument(text: string, options: RenderOptions = {}): string {
  return documentMarkdown.render(text, { ...options });
}

/** A message (an answer, a resolution) as safe HTML: paragraphs, lists, emphasis, code and links. */
export function renderMessage(text: string): string {
  return messageMarkdown.render(text, { topHeadingLevel: 3 });
}

/** One line (a step of a plan) as safe inline HTML; a leading heading or list mark is dropped. */
export function renderLine(text: string): string {
  return messageMarkdown.renderInline(withoutBlockMark(text), {});
}

/** A Markdown text's words, its blocks (headings, paragraphs, list items) one per line. */
export function plainText(text: string): string {
  const blocks: string[] = [];
  for (const token of documentMarkdown.parse(text, {})) {
    if (token.type === 'inline') blocks.push(plainOf(token.children ?? []));
    else if (token.type === 'fence' || token.type === 'code_block') blocks.push(token.content.trim());
  }
  return blocks.filter(Boolean).join('\n');
}

/** A one-line text (a title, a heading) without Markdown marks ("1." in "1. Set up" is kept: it is no list here). */
export function plainLine(text: string): string {
  return plainOf(documentMarkdown.parseInline(text.trim().replace(/^#{1,6}\s+/, ''), {})[0]?.children ?? []);
}

function plainOf(children: Token[]): string {
  return children
    .map((token) => (token.type === 'softbreak' || token.type === 'hardbreak' ? ' ' : token.type === 'image' ? plainOf(token.children ?? []) : token.content))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function withoutBlockMark(text: string): string {
  return text.trim().replace(/^(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+|>\s*)/u, '');
}
