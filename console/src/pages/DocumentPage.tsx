// One knowledge-base document, passage by passage; a citation opens it at the passage it cites.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas } from '../api/client';
import { Alert, Loading } from '../components/ui';
import { when } from '../format';

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
      <h1 id="document-title">{document.title}</h1>
      <p class="muted">
        {document.filename} · {document.chunks} passages · added {when(document.created_at)}
      </p>
      {document.chunk_list.map((chunk) => (
        <section
          key={chunk.chunk_id}
          id={`chunk-${chunk.chunk_id}`}
          tabIndex={-1}
          class={chunk.chunk_id === highlight ? 'passage cited' : 'passage'}
          aria-label={chunk.chunk_id === highlight ? 'Cited passage' : undefined}
        >
          {chunk.heading ? <h2>{chunk.heading}</h2> : null}
          <p class="prewrap">{chunk.text}</p>
          {chunk.page ? <p class="muted small">Page {chunk.page}</p> : null}
        </section>
      ))}
    </article>
  );
}
