// Files on a ticket: whoever may see the ticket may attach, list and download; the uploader or staff may
// remove one. Each change is stored with its event on the ticket's trail in one transaction.
import { Injectable, NotFoundException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../config/app-config';
import { TicketEventType } from '../tickets/ticket-events';
import { TicketWriter } from '../tickets/ticket-writer.service';
import { isStaff, TicketsService, Viewer } from '../tickets/tickets.service';
import { NotYourAttachmentError, TooManyAttachmentsError } from './attachment-errors';
import { AttachmentScanner, ScannedAttachment, UploadedAttachment } from './attachment-scanner';
import { Attachment } from './attachment.entity';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentDto, AttachmentListDto, mapAttachment } from './dto/attachment.dto';

export interface AttachmentDownload {
  filename: string;
  contentType: string;
  content: Buffer;
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachmentsRepository: AttachmentsRepository,
    private readonly scanner: AttachmentScanner,
    private readonly ticketsService: TicketsService,
    private readonly ticketWriter: TicketWriter,
    private readonly config: AppConfig,
  ) {}

  /** Checked before the transaction opens: a PDF is read in a worker thread, which must not hold the ticket's lock. */
  async attach(uploader: Viewer, ticketId: string, file: UploadedAttachment): Promise<AttachmentDto> {
    await this.ticketsService.assertVisible(uploader, ticketId);
    return mapAttachment(await this.store(uploader.id, ticketId, await this.scanner.scan(file)));
  }

  async list(viewer: Viewer, ticketId: string): Promise<AttachmentListDto> {
    await this.ticketsService.assertVisible(viewer, ticketId);
    const attachments = await this.attachmentsRepository.findByTicket(ticketId);
    return { attachments: attachments.map(mapAttachment), count: attachments.length };
  }

  async download(viewer: Viewer, ticketId: string, attachmentId: string): Promise<AttachmentDownload> {
    await this.ticketsService.assertVisible(viewer, ticketId);
    const attachment = await this.attachmentsRepository.findWithContent(ticketId, attachmentId);
    if (!attachment?.content) throw notFound(attachmentId);
    return { filename: attachment.filename, contentType: attachment.contentType, content: attachment.content };
  }

  @Transactional()
  async remove(actor: Viewer, ticketId: string, attachmentId: string): Promise<void> {
    await this.ticketsService.assertVisible(actor, ticketId);
    await this.ticketWriter.lockTicket(ticketId);
    const attachment = await this.attachmentsRepository.findOne(ticketId, attachmentId);
    if (!attachment) throw notFound(attachmentId);
    if (!isStaff(actor) && attachment.uploaderId !== actor.id) throw new NotYourAttachmentError();
    await this.attachmentsRepository.delete(ticketId, attachmentId);
    await this.ticketWriter.recordAttachmentChange(ticketId, actor.id, TicketEventType.AttachmentRemoved, eventPayload(attachment));
  }

  @Transactional()
  private async store(uploaderId: string, ticketId: string, file: ScannedAttachment): Promise<Attachment> {
    await this.ticketWriter.lockTicket(ticketId);
    const { maxPerTicket } = this.config.attachments;
    const stored = await this.attachmentsRepository.insertIfRoom(
      { ticketId, uploaderId, filename: file.filename, contentType: file.contentType, sizeBytes: file.content.length, content: file.content },
      maxPerTicket,
    );
    if (!stored) throw new TooManyAttachmentsError(maxPerTicket);
    await this.ticketWriter.recordAttachmentChange(ticketId, uploaderId, TicketEventType.AttachmentAdded, eventPayload(stored));
    return stored;
  }
}

/** What the trail says of a file: enough to list it, never its bytes. */
function eventPayload(attachment: Attachment): Record<string, unknown> {
  return { attachment_id: attachment.id, filename: attachment.filename, content_type: attachment.contentType, size_bytes: attachment.sizeBytes };
}

function notFound(attachmentId: string): NotFoundException {
  return new NotFoundException(`Attachment ${attachmentId} not found on this ticket`);
}
