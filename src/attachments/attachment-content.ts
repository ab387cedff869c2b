// What an attached file is, told by its bytes (never by the client's Content-Type or the file's name), and
// the name it is stored and downloaded under.
import { extname } from 'node:path';
import { decodeUtf8 } from '../knowledge/parsers/detect-type';

export type AttachmentKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'pdf' | 'text';

interface KindInfo {
  contentType: string;
  label: string;
  /** The names a file of this kind may end in; the first is added to a name that ends in none of them. */
  extensions: string[];
}

export const ATTACHMENT_KINDS: Record<AttachmentKind, KindInfo> = {
  png: { contentType: 'image/png', label: 'PNG image', extensions: ['.png'] },
  jpeg: { contentType: 'image/jpeg', label: 'JPEG image', extensions: ['.jpg', '.jpeg'] },
  gif: { contentType: 'image/gif', label: 'GIF image', extensions: ['.gif'] },
  webp: { contentType: 'image/webp', label: 'WebP image', extensions: ['.webp'] },
  pdf: { contentType: 'application/pdf', label: 'PDF document', extensions: ['.pdf'] },
  // Any UTF-8 text is served as plain text; a name such as "page.html" gets ".txt" added, so that a
  // downloaded copy never opens as a page or a script.
  text: { contentType: 'text/plain; charset=utf-8', label: 'text file', extensions: ['.txt', '.log', '.csv', '.md', '.json', '.yaml', '.yml', '.ini', '.conf', '.cfg'] },
};

export const ALLOWED_TYPES = 'PNG, JPEG, GIF or WebP images, PDF documents, and plain text or log files';

/** The kind the bytes are, or null for anything else (an archive, an executable, binary data). */
export function detectAttachmentKind(data: Buffer): AttachmentKind | null {
  const starts = (magic: string, at = 0) => data.toString('latin1', at, at + magic.length) === magic;
  if (starts('\x89PNG\r\n\x1a\n')) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (starts('GIF87a') || starts('GIF89a')) return 'gif';
  if (starts('RIFF') && starts('WEBP', 8)) return 'webp';
  if (starts('%PDF-')) return 'pdf';
  return decodeUtf8(data) === null ? null : 'text';
}

/** The kind a file's name claims (by its extension), if it names one we know. */
export function claimedKind(filename: string): AttachmentKind | null {
  const extension = extname(filename).toLowerCase();
  const claimed = (Object.keys(ATTACHMENT_KINDS) as AttachmentKind[]).find((kind) => kind !== 'text' && ATTACHMENT_KINDS[kind].extensions.includes(extension));
  return claimed ?? null;
}

/** Characters no file name should carry: path separators, what Windows forbids, controls, and bidi overrides that disguise an extension. */
const UNSAFE_CHARACTERS = /[\\/:*?"<>|\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const MAX_NAME_LENGTH = 120;

/**
 * A name safe to store and to offer for download: the client's name without any folder, unsafe
 * characters or surrounding dots and spaces, at most 120 characters, ending in an extension of `kind`.
 */
export function safeFilename(original: string, kind: AttachmentKind): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE_CHARACTERS, '_').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  const { extensions } = ATTACHMENT_KINDS[kind];
  const kept = extensions.includes(extname(cleaned).toLowerCase());
  const extension = kept ? extname(cleaned) : extensions[0];
  const stem = (kept ? cleaned.slice(0, -extension.length) : cleaned).slice(0, MAX_NAME_LENGTH - extension.length).trimEnd();
  return `${stem || 'attachment'}${extension}`;
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the exact one in RFC 5987 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
