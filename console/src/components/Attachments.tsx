// A ticket's files: attach one (with progress), see each with its type and size, images as small previews,
// download, and remove your own (support and admin: any). Reloaded when the ticket's stream says a file came
// or went (`version`). The bytes need the access token, so previews and downloads are fetched as blobs.
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessages, type Schemas, type User } from '../api/client';
import { fetchWithUploadProgress } from '../api/upload';
import { fileSize, when } from '../format';
import { isStaff } from '../session';
import { Alert } from './ui';

type Attachment = Schemas['AttachmentDto'];

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.log,.txt';
const TYPE_LABEL: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
  'text/plain; charset=utf-8': 'Text',
};

interface Props {
  ticketId: string;
  user: User;
  /** Changes whenever the stream reports a file attached or removed. */
  version: number;
}

export function Attachments({ ticketId, user, version }: Props) {
  const [files, setFiles] = useState<Attachment[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const path = { params: { path: { ticket_id: ticketId } } };

  const load = async () => {
    const { data, error } = await api.GET('/api/v1/tickets/{ticket_id}/attachments', path);
    if (!data) return setErrors(errorMessages(error));
    setFiles(data.attachments);
  };
  useEffect(() => void load(), [ticketId, version]);

  const download = async (file: Attachment) => {
    const url = await fetchObjectUrl(ticketId, file.attachment_id);
    if (!url) return setErrors([`Could not download ${file.filename}.`]);
    const link = Object.assign(document.createElement('a'), { href: url, download: file.filename });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const remove = async (file: Attachment) => {
    if (!confirm(`Remove ${file.filename} from this ticket?`)) return;
    const { error } = await api.DELETE('/api/v1/tickets/{ticket_id}/attachments/{attachment_id}', { params: { path: { ticket_id: ticketId, attachment_id: file.attachment_id } } });
    if (error) return setErrors(errorMessages(error));
    setErrors([]);
    void load();
  };

  return (
    <section class="card" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      <Alert messages={errors} />
      {files && files.length === 0 ? <p class="muted">No files yet.</p> : null}
      {files && files.length > 0 ? (
        <ul class="attachments">
          {files.map((file) => (
            <li key={file.attachment_id} class="attachment" data-attachment={file.filename}>
              {file.content_type.startsWith('image/') ? <Preview ticketId={ticketId} file={file} /> : <span class="file-icon" aria-hidden="true">{file.content_type === 'application/pdf' ? 'PDF' : 'TXT'}</span>}
              <div class="attachment-text">
                <button type="button" class="link" onClick={() => void download(file)}>
                  {file.filename}
                  <span class="visually-hidden"> (download)</span>
                </button>
                <span class="muted small">
                  {TYPE_LABEL[file.content_type] ?? file.content_type} · {fileSize(file.size_bytes)} · {file.uploader_id === user.id ? 'added by you' : 'added'} {when(file.created_at)}
                </span>
              </div>
              {isStaff(user) || file.uploader_id === user.id ? (
                <button type="button" class="link danger" onClick={() => void remove(file)}>
                  Remove<span class="visually-hidden"> {file.filename}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <AttachForm ticketId={ticketId} onAttached={() => void load()} />
    </section>
  );
}

function Preview({ ticketId, file }: { ticketId: string; file: Attachment }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let gone = false;
    void fetchObjectUrl(ticketId, file.attachment_id).then((made) => {
      if (gone && made) URL.revokeObjectURL(made);
      else setUrl((objectUrl = made));
    });
    return () => {
      gone = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [ticketId, file.attachment_id]);
  return url ? <img class="thumb" src={url} alt={`Preview of ${file.filename}`} /> : <span class="thumb" aria-hidden="true" />;
}

function AttachForm({ ticketId, onAttached }: { ticketId: string; onAttached: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const inputId = `attach-${ticketId}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return setErrors(['Choose a file first: a screenshot, a PDF or a log.']);
    setErrors([]);
    setPercent(0);
    const { data, error } = await api.POST('/api/v1/tickets/{ticket_id}/attachments', {
      params: { path: { ticket_id: ticketId } },
      body: { file: file as unknown as string },
      bodySerializer: (body) => {
        const form = new FormData();
        form.append('file', body.file as unknown as File);
        return form;
      },
      fetch: fetchWithUploadProgress((fraction) => setPercent(Math.round(fraction * 100))),
    });
    setPercent(null);
    if (!data) return setErrors(errorMessages(error));
    setFile(null);
    (document.getElementById(inputId) as HTMLInputElement).value = '';
    onAttached();
  };

  return (
    <form onSubmit={submit} class="attach-form">
      <label for={inputId}>Attach a file (screenshot, PDF or log)</label>
      <input id={inputId} type="file" accept={ACCEPT} onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} />
      <button type="submit" class="secondary" disabled={percent !== null}>{percent === null ? 'Attach' : `Sending… ${percent} %`}</button>
      <Alert messages={errors} />
    </form>
  );
}

/** The file's bytes as an object URL (the caller revokes it), or null when they could not be fetched. */
async function fetchObjectUrl(ticketId: string, attachmentId: string): Promise<string | null> {
  const { data } = await api.GET('/api/v1/tickets/{ticket_id}/attachments/{attachment_id}', {
    params: { path: { ticket_id: ticketId, attachment_id: attachmentId } },
    parseAs: 'blob',
  });
  return data ? URL.createObjectURL(data as Blob) : null;
}
