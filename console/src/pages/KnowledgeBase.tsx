// The knowledge base: upload (with progress), the documents and their passage counts, and a search that
// shows what each retrieval method finds for the same question, side by side, as snippets to read.
import { useState } from 'preact/hooks';
import { api, type Document, errorMessages, type Schemas } from '../api/client';
import { fetchWithUploadProgress } from '../api/upload';
import { Alert, Loading } from '../components/ui';
import { asPage, LoadMore, useCursorList } from '../cursor-list';
import { counted, when } from '../format';
import { plainLine, plainText } from '../markdown';
import { href } from '../router';
import { snippet } from '../snippet';

const MODES = ['hybrid', 'vector', 'text'] as const;
type Mode = (typeof MODES)[number];
const MODE_LABEL: Record<Mode, string> = { hybrid: 'Hybrid (vectors + full text)', vector: 'Vector similarity', text: 'Full text' };
const ACCEPT = '.pdf,.docx,.md,.markdown,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown,text/plain';

export function KnowledgeBase() {
  const { items: documents, setItems: setDocuments, errors, setErrors, reload, loadMore } = useCursorList(
    async (cursor) => asPage(await api.GET('/api/v1/llm/documents', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } as never } }), (data) => data.documents),
    [],
  );

  const remove = async (document: Document) => {
    if (!confirm(`Delete “${plainLine(document.title)}” and its ${counted(document.chunks, 'passage')} from the knowledge base?`)) return;
    const { error } = await api.DELETE('/api/v1/llm/documents/{document_id}', { params: { path: { document_id: document.document_id } } });
    if (error) return setErrors(errorMessages(error));
    setDocuments((list) => list?.filter((d) => d.document_id !== document.document_id) ?? null);
  };

  return (
    <section>
      <h1>Knowledge base</h1>
      <Upload onUploaded={() => void reload()} />
      <Search />
      <section class="card" aria-labelledby="documents-heading">
        <h2 id="documents-heading">Documents</h2>
        <Alert messages={errors} />
        {!documents ? (
          <Loading what="documents" />
        ) : documents.length === 0 ? (
          <p class="empty">The knowledge base is empty. Upload your how-tos so the assistant can answer from them.</p>
        ) : (
          <div class="table-wrap">
            <table class="documents">
              <caption class="visually-hidden">Documents in the knowledge base, newest first</caption>
              <thead>
                <tr><th scope="col">Title</th><th scope="col">File</th><th scope="col">Passages</th><th scope="col">Size</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <tr key={document.document_id} data-document-title={document.title}>
                    <td><a href={href(`/kb/${document.document_id}`)}>{plainLine(document.title)}</a></td>
                    <td>{document.filename}</td>
                    <td class="number">{document.chunks}</td>
                    <td class="number">{kilobytes(document.size_bytes)}</td>
                    <td>{when(document.created_at)}</td>
                    <td>
                      <button type="button" class="link danger" onClick={() => void remove(document)}>Delete<span class="visually-hidden"> {document.title}</span></button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore onLoad={loadMore} />
      </section>
    </section>
  );
}

function Upload({ onUploaded }: { onUploaded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<'idle' | 'sending' | 'processing'>('idle');
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return setErrors(['Choose a PDF, DOCX, Markdown or text file first.']);
    setErrors([]);
    setDone([]);
    setProgress(0);
    setPhase('sending');
    const { data, error } = await api.POST('/api/v1/llm/ingest_doc', {
      body: { file: file as unknown as string },
      bodySerializer: (body) => {
        const form = new FormData();
        form.append('file', body.file as unknown as File);
        return form;
      },
      fetch: fetchWithUploadProgress((fraction) => {
        setProgress(fraction);
        if (fraction >= 1) setPhase('processing');
      }),
    });
    setPhase('idle');
    if (!data) {
      setProgress(null);
      return setErrors(errorMessages(error));
    }
    setDone([`“${plainLine(data.title)}” is in the knowledge base: ${counted(data.chunks, 'passage')}, searchable now.`]);
    setFile(null);
    (document.getElementById('kb-file') as HTMLInputElement).value = '';
    onUploaded();
  };

  const percent = progress === null ? null : Math.round(progress * 100);
  return (
    <form class="card" onSubmit={submit} aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a document</h2>
      <label for="kb-file">Document (PDF, DOCX, Markdown or text)</label>
      <input id="kb-file" type="file" accept={ACCEPT} onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} />
      <button type="submit" disabled={phase !== 'idle'}>Upload</button>
      {percent !== null ? (
        <div class="progress-row">
          <progress id="upload-progress" max={100} value={phase === 'processing' ? undefined : percent} aria-label="Upload progress">
            {percent} %
          </progress>
          <span role="status">{phase === 'sending' ? `Sending… ${percent} %` : phase === 'processing' ? 'Sent — reading and indexing…' : `${percent} % sent`}</span>
        </div>
      ) : null}
      <Alert messages={errors} />
      <Alert kind="success" messages={done} />
    </form>
  );
}

function Search() {
  const [q, setQ] = useState('');
  // The question the results answer (the field may have changed since): its words are marked in them.
  const [searched, setSearched] = useState('');
  const [results, setResults] = useState<Partial<Record<Mode, Schemas['SearchHitDto'][]>>>({});
  const [errors, setErrors] = useState<string[]>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!q.trim()) return;
    const answers = await Promise.all(MODES.map((mode) => api.GET('/api/v1/llm/search', { params: { query: { q: q.trim(), k: 5, mode } } })));
    const failed = answers.find((answer) => !answer.data);
    if (failed) return setErrors(errorMessages(failed.error));
    setErrors([]);
    setSearched(q.trim());
    setResults(Object.fromEntries(MODES.map((mode, i) => [mode, answers[i].data!.results])));
  };

  return (
    <section class="card" aria-labelledby="search-heading">
      <h2 id="search-heading">Search the knowledge base</h2>
      <form role="search" class="filters" onSubmit={submit}>
        <label>
          Question
          <input type="search" value={q} placeholder="e.g. how do I connect to the VPN from home" onInput={(event) => setQ(event.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Alert messages={errors} />
      {results.hybrid ? (
        <div class="search-columns">
          {MODES.map((mode) => (
            <section key={mode} aria-labelledby={`results-${mode}`} data-mode={mode}>
              <h3 id={`results-${mode}`}>{MODE_LABEL[mode]}</h3>
              {results[mode]!.length === 0 ? <p class="muted">Nothing found.</p> : null}
              <ol class="hits">
                {results[mode]!.map((hit) => (
                  <li key={hit.chunk_id}>
                    <a href={href(`/kb/${hit.document_id}?chunk=${hit.chunk_id}`)}>{plainLine(hit.title)}</a>
                    {hit.heading ? <span class="muted"> › {plainLine(hit.heading)}</span> : null}
                    {hit.page ? <span class="muted"> · page {hit.page}</span> : null}
                    <p class="small snippet">
                      {snippet(plainText(hit.text), searched).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : part.text))}
                    </p>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function kilobytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} kB`;
}
