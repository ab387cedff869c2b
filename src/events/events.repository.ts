import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { TicketEvent } from '../tickets/ticket-event.entity';

/** A stored ticket event with what the stream needs to decide who may see it. */
export interface StreamableEvent {
  event: TicketEvent;
  requesterId: string;
}

export interface EventScope {
  ticketId?: string;
  /** Only events of this user's tickets. */
  requesterId?: string;
  includeStaffOnly: boolean;
}

@Injectable()
export class EventsRepository extends TransactionalRepository {
  async lastEventId(): Promise<number> {
    const row = await this.manager
      .createQueryBuilder(TicketEvent, 'event')
      .select('COALESCE(MAX(event.id), 0)', 'max')
      .getRawOne<{ max: string }>();
    return Number(row?.max ?? 0);
  }

  /** Events after `afterId` in id order, optionally limited to what one viewer may see. */
  async findAfter(afterId: number, limit: number, scope?: EventScope): Promise<StreamableEvent[]> {
    const query = this.manager
      .createQueryBuilder(TicketEvent, 'event')
      .innerJoin('event.ticket', 'ticket')
      .addSelect('ticket.requester_id', 'requester_id')
      .where('event.id > :afterId', { afterId });
    if (scope?.ticketId) query.andWhere('event.ticket_id = :ticketId', { ticketId: scope.ticketId });
    if (scope?.requesterId) query.andWhere('ticket.requester_id = :requesterId', { requesterId: scope.requesterId });
    if (scope && !scope.includeStaffOnly) query.andWhere('NOT event.staff_only');
    const { entities, raw } = await query.orderBy('event.id', 'ASC').limit(limit).getRawAndEntities<{ requester_id: string }>();
    return entities.map((event, index) => ({ event, requesterId: raw[index].requester_id }));
  }
}
