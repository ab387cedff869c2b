import { IsEnum, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BooleanQuery } from '../../common/boolean-query.decorator';
import { Trim } from '../../common/trim.decorator';
import { IsInstant } from '../../common/instant';
import { CursorPageQueryDto } from '../../common/pagination.dto';
import { RequestType, TicketCategory, TicketPriority, TicketStatus } from '../ticket.enums';
import { TicketDto } from './ticket.dto';

export const TICKET_SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at', 'priority', '-priority', 'sla_due', '-sla_due'] as const;
const ASSIGNEE_FILTER = /^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
export const SLA_FILTERS = ['at_risk', 'breached'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export class ListTicketsQueryDto extends CursorPageQueryDto {
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

  /** A user's id; `me` for the caller's own tickets to work on, `none` for those nobody owns yet. @example "me" */
  @IsOptional() @Matches(ASSIGNEE_FILTER, { message: 'assignee_id must be a user id, "me" or "none"' })
  assignee_id?: string;

  /** Words to find in the title or description. @example "vpn" */
  @IsOptional() @Trim() @IsString() @MaxLength(200)
  q?: string;

  @IsOptional() @IsInstant()
  created_after?: Date;

  @IsOptional() @IsInstant()
  created_before?: Date;

  /** Tickets whose service levels are at risk (a warning has fired) or breached. */
  @IsOptional() @IsIn(SLA_FILTERS)
  sla?: (typeof SLA_FILTERS)[number];

  /**
   * `false`: leave out the tickets an open major incident holds (support works them once, on the incident:
   * the queue's view); `true`: only those. Either way, whatever the other filters say.
   */
  @IsOptional() @BooleanQuery('held_by_incident')
  held_by_incident?: boolean;

  /** Also count every ticket that matches the filters (`total`). Off by default: counting reads every match, a page reads `limit`. */
  @IsOptional() @BooleanQuery('include_total')
  include_total?: boolean;

  /** A field to sort by; a leading `-` sorts descending. `sla_due`: the nearest due time first — breached tickets (due in the past), then the soonest due: the support queue's order; tickets with no open clock last. */
  @IsOptional() @IsIn(TICKET_SORTS)
  sort: TicketSort = '-created_at';
}

export class TicketListDto {
  tickets: TicketDto[];
  /** Tickets in this page. */
  count: number;
  /** Tickets matching the filters, over all pages; only with `include_total=true`. */
  total?: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}
