import { IsEnum, IsUUID, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsInstant } from '../../common/instant';
import { Trim } from '../../common/trim.decorator';
import { RequestType, TicketCategory, TicketPriority, TicketUrgency } from '../ticket.enums';
import { choiceMessage, textMessage } from '../../common/human-messages';

const TITLE = textMessage({ missing: 'Give your request a title', tooLong: 'The title can be at most 200 characters', notText: 'The title must be text' });
const DESCRIPTION = textMessage({ missing: 'Describe what you need', tooLong: 'The description can be at most 10,000 characters', notText: 'The description must be text' });
const JUSTIFICATION = textMessage({ missing: 'The business justification must be text', tooLong: 'The business justification can be at most 5,000 characters' });

/** A new ticket. The requester is the signed-in user; status and decision start as pending. */
export class CreateTicketDto {
  /** @example "Request for Admin Access" */
  @Trim() @IsString(TITLE) @Length(1, 200, TITLE)
  title: string;

  /** @example "Need admin access to the customer database" */
  @Trim() @IsString(DESCRIPTION) @Length(1, 10000, DESCRIPTION)
  description: string;

  @IsEnum(RequestType, choiceMessage('Choose a request type', RequestType))
  request_type: RequestType;

  /** Defaults from request_type (e.g. software_access → access). */
  @IsOptional() @IsEnum(TicketCategory, choiceMessage('Choose a category', TicketCategory))
  category?: TicketCategory;

  @IsOptional() @IsEnum(TicketPriority, choiceMessage('Choose a priority', TicketPriority))
  priority?: TicketPriority;

  @IsOptional() @IsEnum(TicketUrgency, choiceMessage('Choose an urgency', TicketUrgency))
  urgency?: TicketUrgency;

  /** @example "Required for quarterly review" */
  @IsOptional() @Trim() @IsString(JUSTIFICATION) @MaxLength(5000, JUSTIFICATION)
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
