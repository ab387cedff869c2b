// Why a change to a ticket's files is refused, as domain errors (see DomainError).
import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export class TooManyAttachmentsError extends DomainError {
  readonly code = 'too_many_attachments';
  constructor(maxPerTicket: number) {
    super(`This ticket already holds ${maxPerTicket} files (ATTACHMENTS_PER_TICKET); remove one before attaching another`);
  }
}

export class NotYourAttachmentError extends DomainError {
  readonly code = 'not_your_attachment';
  readonly status = HttpStatus.FORBIDDEN;
  constructor() {
    super('Only the person who attached a file, or support and admin, can remove it');
  }
}
