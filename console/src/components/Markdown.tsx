// Markdown rendered by console/src/markdown.ts: its HTML escapes every raw tag, so it may be set as is.
import { useMemo } from 'preact/hooks';
import { renderDocument, renderLine, renderMessage, type RenderOptions } from '../markdown';

/** A document's passage, formatted. */
export function DocumentMarkdown({ text, ...options }: { text: string } & RenderOptions) {
  const html = useMemo(() => renderDocument(text, options), [text, options.topHeadingLevel]);
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** An answer, a resolution, a plan's summary: formatted, each new line kept. */
export function MessageMarkdown({ text, testId }: { text: string; testId?: string }) {
  const html = useMemo(() => renderMessage(text), [text]);
  return <div class="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** One line (a step of a plan), formatted inline. */
export function LineMarkdown({ text }: { text: string }) {
  const html = useMemo(() => renderLine(text), [text]);
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
}
