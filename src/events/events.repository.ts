import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '../database/transactional.repository';
import { SelectQueryBuilder } from 'typeorm';
import { TicketEvent } from '../tickets/ticket-event.entity';
import { ACTOR_NAMED_BY } from '../tickets/tickets.repository';
import { CommittedRead, SnapshotInFlight } from '../trail/commit-frontier';
import { EVENT_WRITERS, inFlight, RUNNING_TRANSACTIONS } from '../trail/trail.repository';

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
  /** The newest event id, with the transactions in flight when it was read. */
  async lastEventId(): Promise<{ id: number; running: SnapshotInFlight }> {
    const row = await this.manager
      .createQueryBuilder(TicketEvent, 'event')
      .select('COALESCE(MAX(event.id), 0)', 'max')
      .addSelect(RUNNING_TRANSACTIONS, 'running')
      .getRawOne<{ max: string; running: string }>();
    return { id: Number(row?.max ?? 0), running: inFlight(row?.running) };
  }

  /** Events after `afterId` in id order, with the transactions in flight at the snapshot that read them. */
  async readCommitted(afterId: number, limit: number): Promise<CommittedRead<StreamableEvent & { id: number }>> {
    const { entities, raw } = await this.eventsAfter(afterId, limit)
      .addSelect(RUNNING_TRANSACTIONS, 'running')
      .getRawAndEntities<{ requester_id: string; running: string }>();
    const rows = entities.map((event, index) => ({ id: Number(event.id), event, requesterId: raw[index].requester_id }));
    // No row, no snapshot to report (the frontier judges nothing by an empty read).
    return { rows, running: inFlight(raw[0]?.running) };
  }

  /** Transactions holding a write lock on the events table now: those that may draw or hold an event id. */
  async eventWriters(): Promise<Set<string>> {
    const rows = await this.manager.query<Array<{ xid: string }>>(EVENT_WRITERS);
    return new Set(rows.map((row) => row.xid));
  }

  /** Events in (afterId, upTo] in id order, optionally limited to what one viewer may see. */
  async findAfter(afterId: number, limit: number, scope?: EventScope, upTo?: number): Promise<StreamableEvent[]> {
    const query = this.eventsAfter(afterId, limit);
    if (upTo !== undefined) query.andWhere('event.id <= :upTo', { upTo });
    if (scope?.ticketId) query.andWhere('event.ticket_id = :ticketId', { ticketId: scope.ticketId });
    if (scope?.requesterId) query.andWhere('ticket.requester_id = :requesterId', { requesterId: scope.requesterId });
    if (scope && !scope.includeStaffOnly) query.andWhere('NOT event.staff_only');
    const { entities, raw } = await query.getRawAndEntities<{ requester_id: string }>();
    return entities.map((event, index) => ({ event, requesterId: raw[index].requester_id }));
  }

  private eventsAfter(afterId: number, limit: number): SelectQueryBuilder<TicketEvent> {
    return this.manager
      .createQueryBuilder(TicketEvent, 'event')
      .innerJoin('event.ticket', 'ticket')
      .addSelect('ticket.requester_id', 'requester_id')
      .leftJoin('event.actor', 'actor')
      .addSelect(ACTOR_NAMED_BY)
      .where('event.id > :afterId', { afterId })
      .orderBy('event.id', 'ASC')
      .limit(limit);
  }
}
