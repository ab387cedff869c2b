import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { Attachment } from './attachment.entity';

export type NewAttachment = Pick<Attachment, 'ticketId' | 'uploaderId' | 'filename' | 'contentType' | 'sizeBytes'> & { content: Buffer };

/** Every column but the bytes. */
const METADATA = 'id, ticket_id, uploader_id, filename, content_type, size_bytes, created_at';

@Injectable()
export class AttachmentsRepository extends TransactionalRepository {
  /**
   * Stores the file unless the ticket already holds `maxPerTicket` of them, in one statement: the
   * attachment as stored, or null with nothing written. The caller holds the ticket's lock, so two
   * uploads at once cannot both take the last place.
   */
  async insertIfRoom(attachment: NewAttachment, maxPerTicket: number): Promise<Attachment | null> {
    const rows = await this.manager.query<Array<Record<string, unknown>>>(
      `INSERT INTO ticket_attachments (ticket_id, uploader_id, filename, content_type, size_bytes, content)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE (SELECT count(*) FROM ticket_attachments WHERE ticket_id = $1) < $7
       RETURNING ${METADATA}`,
      [attachment.ticketId, attachment.uploaderId, attachment.filename, attachment.contentType, attachment.sizeBytes, attachment.content, maxPerTicket],
    );
    return rows[0] ? this.hydrate(rows[0]) : null;
  }

  /** The ticket's files, oldest first, without their bytes. */
  findByTicket(ticketId: string): Promise<Attachment[]> {
    return this.manager.find(Attachment, { where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** One file of the ticket, without its bytes. */
  findOne(ticketId: string, attachmentId: string): Promise<Attachment | null> {
    return this.manager.findOneBy(Attachment, { ticketId, id: attachmentId });
  }

  /** One file of the ticket with its bytes. */
  findWithContent(ticketId: string, attachmentId: string): Promise<Attachment | null> {
    return this.manager
      .createQueryBuilder(Attachment, 'attachment')
      .addSelect('attachment.content')
      .where('attachment.ticket_id = :ticketId AND attachment.id = :attachmentId', { ticketId, attachmentId })
      .getOne();
  }

  /** Removes one file of the ticket; the file as it was, or null when there was none. */
  async delete(ticketId: string, attachmentId: string): Promise<Attachment | null> {
    const rows = await this.manager.query<Array<Record<string, unknown>>>(`DELETE FROM ticket_attachments WHERE ticket_id = $1 AND id = $2 RETURNING ${METADATA}`, [ticketId, attachmentId]);
    return rows[0] ? this.hydrate(rows[0]) : null;
  }

  private hydrate(row: Record<string, unknown>): Attachment {
    return {
      id: String(row.id),
      ticketId: String(row.ticket_id),
      uploaderId: String(row.uploader_id),
      filename: String(row.filename),
      contentType: String(row.content_type),
      sizeBytes: Number(row.size_bytes),
      createdAt: new Date(row.created_at as string | Date),
    };
  }
}
