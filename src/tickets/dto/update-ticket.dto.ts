import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsOmittable } from '../../common/omittable.decorator';
import { Trim } from '../../common/trim.decorator';
import { TicketCategory, TicketPriority, TicketStatus } from '../ticket.enums';

/** What support and admin may change on a ticket. A status change follows the transition table. */
export class UpdateTicketDto {
  @IsOmittable() @IsEnum(TicketStatus)
  status?: TicketStatus;

  @IsOmittable() @IsEnum(TicketPriority)
  priority?: TicketPriority;

  @IsOmittable() @IsEnum(TicketCategory)
  category?: TicketCategory;

  /** A support or admin user; null unassigns. */
  @IsOptional() @IsUUID()
  assignee_id?: string | null;

  /** Added to the ticket's conversation (visible to the requester); on resolving, it becomes the resolution. */
  @IsOmittable() @Trim() @IsString() @Length(1, 5000)
  comment?: string;
}
