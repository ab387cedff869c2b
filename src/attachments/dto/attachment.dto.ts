import { Attachment } from '../attachment.entity';

export class AttachmentDto {
  attachment_id: string;
  ticket_id: string;
  uploader_id: string;
  /** Made safe for a file system; the download is offered under it. @example "vpn-error.png" */
  filename: string;
  /** Decided by the file's content. @example "image/png" */
  content_type: string;
  size_bytes: number;
  created_at: Date;
}

export class AttachmentListDto {
  /** Oldest first. */
  attachments: AttachmentDto[];
  count: number;
}

/** The upload's form fields besides `file`: none, so that a stray one is refused rather than ignored. */
export class AttachFileFieldsDto {}

export function mapAttachment(attachment: Attachment): AttachmentDto {
  return {
    attachment_id: attachment.id,
    ticket_id: attachment.ticketId,
    uploader_id: attachment.uploaderId,
    filename: attachment.filename,
    content_type: attachment.contentType,
    size_bytes: attachment.sizeBytes,
    created_at: attachment.createdAt,
  };
}
