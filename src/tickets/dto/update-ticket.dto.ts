import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsOmittable } from '../../common/omittable.decorator';
import { Trim } from '../../common/trim.decorator';
import { TicketCategory, TicketPriority, TicketStatus } from '../ticket.enums';
import { choiceMessage, textMessage } from '../../common/human-messages';

const COMMENT = textMessage({ missing: 'Write a comment, or leave the field out', tooLong: 'The comment can be at most 5,000 characters', notText: 'The comment must be text' });

/** What support and admin may change on a ticket. A status change follows the transition table. */
export class UpdateTicketDto {
  @IsOmittable() @IsEnum(TicketStatus, choiceMessage('Choose a status', TicketStatus))
  status?: TicketStatus;

  @IsOmittable() @IsEnum(TicketPriority, choiceMessage('Choose a priority', TicketPriority))
  priority?: TicketPriority;

  @IsOmittable() @IsEnum(TicketCategory, choiceMessage('Choose a category', TicketCategory))
  category?: TicketCategory;

  /** A support or admin user; null unassigns. */
  @IsOptional() @IsUUID(undefined, { message: 'Choose who to assign: a user id, or null to unassign' })
  assignee_id?: string | null;

  /** Added to the ticket's conversation (visible to the requester); on resolving, it becomes the resolution. */
  @IsOmittable() @Trim() @IsString(COMMENT) @Length(1, 5000, COMMENT)
  comment?: string;
}
