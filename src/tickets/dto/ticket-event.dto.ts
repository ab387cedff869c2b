import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { nameFor, type TicketAudience } from '../ticket-audience';
import { TicketEvent } from '../ticket-event.entity';

export class ListTicketEventsQueryDto {
  /** Only events after this event id (the previous page's `next_after`). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  after: number = 0;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit: number = 100;
}

export class TicketEventDto {
  /** Increasing; the same id the live stream sends. @example "42" */
  id: string;
  ticket_id: string;
  /** @example "workflow_update" */
  type: string;
  /** Who caused it; null for the system. */
  actor_id: string | null;
  /** Who caused it, by name as the viewer may read it (a requester reads support's first names); null for the system. @example "Sam Support" */
  actor_name: string | null;
  timestamp: Date;
  payload: Record<string, unknown>;
}

export class TicketEventListDto {
  events: TicketEventDto[];
  count: number;
  /** Pass as `after` to get the next page; null on the last page. */
  next_after: string | null;
}

export function mapTicketEvent(event: TicketEvent, audience: TicketAudience): TicketEventDto {
  return {
    id: event.id,
    ticket_id: event.ticketId,
    type: event.type,
    actor_id: event.actorId,
    actor_name: event.actor ? nameFor(audience, event.actor) : null,
    timestamp: event.createdAt,
    payload: event.payload,
  };
}
