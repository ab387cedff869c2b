import { IsEnum, IsUUID, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsInstant } from '../../common/instant';
import { Trim } from '../../common/trim.decorator';
import { RequestType, TicketCategory, TicketPriority, TicketUrgency } from '../ticket.enums';

/** A new ticket. The requester is the signed-in user; status and decision start as pending. */
export class CreateTicketDto {
  /** @example "Request for Admin Access" */
  @Trim() @IsString() @Length(1, 200)
  title: string;

  /** @example "Need admin access to the customer database" */
  @Trim() @IsString() @Length(1, 10000)
  description: string;

  @IsEnum(RequestType)
  request_type: RequestType;

  /** Defaults from request_type (e.g. software_access → access). */
  @IsOptional() @IsEnum(TicketCategory)
  category?: TicketCategory;

  @IsOptional() @IsEnum(TicketPriority)
  priority?: TicketPriority;

  @IsOptional() @IsEnum(TicketUrgency)
  urgency?: TicketUrgency;

  /** @example "Required for quarterly review" */
  @IsOptional() @Trim() @IsString() @MaxLength(5000)
  business_justification?: string;

  /** ISO 8601. @example "2024-01-15T00:00:00Z" */
  @IsOptional() @IsInstant()
  desired_completion_date?: Date;

  /**
   * An earlier request of yours that this one follows up (a resolved request whose reply window has passed).
   * Support and admin may name any ticket.
   */
  @IsOptional() @IsUUID()
  follow_up_of?: string;
}
