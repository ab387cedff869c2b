// One knowledge-base document, passage by passage and formatted; a citation opens it at the passage it cites.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas } from '../api/client';
import { DocumentMarkdown } from '../components/Markdown';
import { Alert, Loading } from '../components/ui';
import { counted, when } from '../format';
import { plainLine } from '../markdown';

export function DocumentPage({ documentId, highlight }: { documentId: string; highlight: string | null }) {
  const [document, setDocument] = useState<Schemas['DocumentDetailDto'] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    void api.GET('/api/v1/llm/documents/{document_id}', { params: { path: { document_id: documentId } } }).then(({ data, error }) => {
      if (!data) return setErrors(errorMessages(error));
      setDocument(data);
    });
  }, [documentId]);

  useEffect(() => {
    if (!document || !highlight) return;
    const passage = window.document.getElementById(`chunk-${highlight}`);
    passage?.scrollIntoView({ block: 'center' });
    passage?.focus();
  }, [document, highlight]);

  if (!document) return errors.length ? <Alert messages={errors} /> : <Loading what="the document" />;
  return (
    <article class="document" aria-labelledby="document-title">
      <h1 id="document-title">{plainLine(document.title)}</h1>
      <p class="muted">
        {document.filename} · {counted(document.chunks, 'passage')} · added {when(document.created_at)}
      </p>
      {document.chunk_list.map((chunk) => (
        <section
          key={chunk.chunk_id}
          id={`chunk-${chunk.chunk_id}`}
          tabIndex={-1}
          class={chunk.chunk_id === highlight ? 'passage cited' : 'passage'}
          aria-label={chunk.chunk_id === highlight ? 'Cited passage' : undefined}
        >
          {chunk.heading ? <h2>{plainLine(chunk.heading)}</h2> : null}
          <DocumentMarkdown text={withoutHeading(chunk.text, chunk.heading)} topHeadingLevel={chunk.heading ? 3 : 2} />
          {chunk.page ? <p class="muted small">Page {chunk.page}</p> : null}
        </section>
      ))}
    </article>
  );
}

/** A passage that opens with its own heading: the heading is already the section's title above it. */
function withoutHeading(text: string, heading: string | null): string {
  const [first, ...rest] = text.split('\n');
  return heading && /^ {0,3}#{1,6}\s/.test(first) && plainLine(first) === plainLine(heading) ? rest.join('\n') : text;
}
