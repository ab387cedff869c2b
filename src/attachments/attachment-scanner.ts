// Checks an attached file before anything is stored, as knowledge-base uploads are checked: its type by its
// bytes, the name agreeing with them, an image's declared size (a decompression bomb), and a PDF read whole by
// the ingestion threads, under their memory and time limits (password-protected, broken or expanding too far).
import { Injectable, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { toDocumentHttpError } from '../knowledge/document-http-error';
import { DocumentWorkers } from '../knowledge/ingestion/document-workers';
import { DocumentError } from '../knowledge/parsers/document-error';
import { expansionBudget } from '../knowledge/parsers/expansion-budget';
import { ALLOWED_TYPES, ATTACHMENT_KINDS, AttachmentKind, claimedKind, detectAttachmentKind, safeFilename } from './attachment-content';
import { declaredPixels } from './image-size';

/**
 * The most pixels an image may declare (summed over a GIF's frames): 40 MP is above any screen's screenshot
 * (8K is 33 MP) and, at 4 bytes a pixel, still a bearable decode for whoever previews it.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

export interface UploadedAttachment {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export interface ScannedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

@Injectable()
export class AttachmentScanner {
  constructor(
    private readonly documentWorkers: DocumentWorkers,
    private readonly config: AppConfig,
  ) {}

  async scan(file: UploadedAttachment): Promise<ScannedAttachment> {
    if (file.size === 0) throw new UnprocessableEntityException('The file is empty');
    const name = utf8Name(file.originalname);
    const kind = detectAttachmentKind(file.buffer);
    const claimed = claimedKind(name);
    if (kind === null || (claimed !== null && claimed !== kind)) throw new UnsupportedMediaTypeException(refusal(name, kind, claimed));
    if (kind === 'pdf') await this.assertReadablePdf(file);
    else if (kind !== 'text') assertBearableImage(kind, file.buffer);
    return { filename: safeFilename(name, kind), contentType: ATTACHMENT_KINDS[kind].contentType, content: file.buffer };
  }

  /** Read as a knowledge-base upload is read; a PDF without text (a scan) is still a fine attachment. */
  private async assertReadablePdf(file: UploadedAttachment): Promise<void> {
    try {
      await this.documentWorkers.prepare(file.buffer, 'attachment.pdf', expansionBudget(file.size, this.config.uploads));
    } catch (error) {
      if (error instanceof DocumentError && error.code === 'empty') return;
      throw toDocumentHttpError(error);
    }
  }
}

function assertBearableImage(kind: Exclude<AttachmentKind, 'pdf' | 'text'>, data: Buffer): void {
  const pixels = declaredPixels(kind, data);
  const label = ATTACHMENT_KINDS[kind].label;
  if (pixels === null) throw new UnprocessableEntityException(`The file starts like a ${label} but is not a readable one (truncated or corrupt)`);
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new UnprocessableEntityException(`The ${label} declares ${Math.round(pixels / 1e6)} megapixels; images of up to ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted`);
  }
}

function refusal(name: string, kind: AttachmentKind | null, claimed: AttachmentKind | null): string {
  const what = kind === null ? 'not a type we accept' : `a ${ATTACHMENT_KINDS[kind].label}`;
  const named = claimed === null ? 'The file is' : `The file is named as a ${ATTACHMENT_KINDS[claimed].label} (${name}) but its content is`;
  return `${named} ${what}; attach ${ALLOWED_TYPES}`;
}

/** Multipart file names arrive as Latin-1 (busboy's default); a UTF-8 name is decoded back, anything else kept. */
function utf8Name(originalname: string): string {
  if (/[^\x00-\xff]/.test(originalname)) return originalname;
  const decoded = Buffer.from(originalname, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? originalname : decoded;
}
