import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { MAX_OFFSET, PaginationQueryDto } from '../../common/pagination.dto';
import { RequestType, TicketCategory, TicketPriority, TicketStatus } from '../ticket.enums';
import { TicketDto } from './ticket.dto';

export const TICKET_SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at', 'priority', '-priority'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export class ListTicketsQueryDto extends PaginationQueryDto {
  /** How many tickets to skip (at most 10,000; page further with `cursor`). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  @Max(MAX_OFFSET, { message: `offset must not be greater than ${MAX_OFFSET}; page further with cursor (the next_cursor of the previous page)` })
  offset: number = 0;

  /** @example "EMP001" */
  @IsOptional() @IsString() @MaxLength(64)
  employee_id?: string;

  @IsOptional() @IsEnum(TicketStatus)
  status?: TicketStatus;

  @IsOptional() @IsEnum(TicketPriority)
  priority?: TicketPriority;

  @IsOptional() @IsEnum(TicketCategory)
  category?: TicketCategory;

  @IsOptional() @IsEnum(RequestType)
  request_type?: RequestType;

  @IsOptional() @IsUUID()
  assignee_id?: string;

  /** Words to find in the title or description. @example "vpn" */
  @IsOptional() @Trim() @IsString() @MaxLength(200)
  q?: string;

  @IsOptional() @Type(() => Date) @IsDate({ message: 'created_after must be an ISO 8601 date' })
  created_after?: Date;

  @IsOptional() @Type(() => Date) @IsDate({ message: 'created_before must be an ISO 8601 date' })
  created_before?: Date;

  /** A field to sort by; a leading `-` sorts descending. */
  @IsOptional() @IsIn(TICKET_SORTS)
  sort: TicketSort = '-created_at';

  /** `next_cursor` of the previous page (use instead of offset). */
  @IsOptional() @IsString() @Matches(/^[\w-]{1,300}$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export class TicketListDto {
  tickets: TicketDto[];
  /** Tickets in this page. */
  count: number;
  /** Tickets matching the filters, over all pages. */
  total: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}
