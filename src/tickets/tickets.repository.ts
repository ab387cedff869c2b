import { Injectable } from '@nestjs/common';
import { PageRequest } from '../common/keyset-cursor';
import { TransactionalRepository } from '../database/transactional.repository';
import { EntityNotFoundError, In, SelectQueryBuilder } from 'typeorm';
import { TicketComment } from './ticket-comment.entity';
import { TicketEvent } from './ticket-event.entity';
import type { WorkflowHold } from './decision-rights';
import { Ticket } from './ticket.entity';
import { User } from '../users/user.entity';
import type { TicketSort } from './dto/list-tickets.dto';
import type { RequestType, TicketCategory, TicketPriority, TicketStatus } from './ticket.enums';

export interface TicketFilters {
  requesterId?: string;
  employeeId?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: TicketCategory;
  requestType?: RequestType;
  /** null: nobody's. */
  assigneeId?: string | null;
  text?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  slaState?: 'at_risk' | 'breached';
  /** Held by an open major incident (decision `incident`), or not. */
  heldByIncident?: boolean;
}

export interface TicketPageRequest {
  sort: TicketSort;
  limit: number;
  offset: number;
  /** Keyset position: the sort value and id of the last ticket of the previous page. */
  after?: { value: string; id: string };
  /** Also count every match: a second statement that reads all of them, so only when a caller asks. */
  countTotal: boolean;
}

export type NewTicketEvent = Pick<TicketEvent, 'ticketId' | 'type' | 'actorId' | 'staffOnly' | 'payload'>;

const SORT_COLUMNS: Record<string, { column: string; cast: string }> = {
  created_at: { column: 'ticket.created_at', cast: 'timestamptz' },
  updated_at: { column: 'ticket.updated_at', cast: 'timestamptz' },
  priority: { column: 'ticket.priority', cast: 'ticket_priority' },
  // No due time (no clock runs) sorts last; the expression is the one its index is on.
  sla_due: { column: `coalesce(ticket.sla_due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' },
};

/**
 * The one way event rows are inserted — alone or inside a larger statement — from `rows`, a FROM item named
 * `event` with ticket_id, type, actor_id, staff_only and payload. Events are appended without ordering
 * commits: event readers hold back at a gap in the ids until its writers have ended (see CommitFrontier).
 * That relies on what this statement does in this order: it locks ticket_events (as any INSERT does, when
 * it is planned), takes the transaction's id (pg_current_xact_id, in a subquery evaluated before the rows),
 * and only then draws the event ids. Changes to one ticket are serialised by its row lock, so a ticket's own
 * events also commit in id order.
 */
function appendEventsFrom(rows: string, orderBy?: string): string {
  return `INSERT INTO ticket_events (ticket_id, type, actor_id, staff_only, payload)
    SELECT event.ticket_id, event.type, event.actor_id, event.staff_only, event.payload
      FROM (SELECT pg_current_xact_id() AS xid OFFSET 0) AS writer, ${rows}
     WHERE writer.xid IS NOT NULL${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
}

/** Event rows of the ticket the statement's `source` row names, in order, from arrays at parameters `$first`…`$first+3`. */
function eventsOf(source: string, first: number): string {
  const [type, actor, staffOnly, payload] = [0, 1, 2, 3].map((offset) => `$${first + offset}`);
  return `(SELECT ${source}.id AS ticket_id, given.type, given.actor_id, given.staff_only, given.payload, given.position
             FROM ${source}, unnest(${type}::text[], ${actor}::uuid[], ${staffOnly}::boolean[], ${payload}::jsonb[])
                  WITH ORDINALITY AS given (type, actor_id, staff_only, payload, position)) AS event`;
}

/** The events' fields as the four arrays eventsOf reads. */
function eventArrays(events: Array<Omit<NewTicketEvent, 'ticketId'>>): unknown[] {
  return [events.map((event) => event.type), events.map((event) => event.actorId), events.map((event) => event.staffOnly), events.map((event) => JSON.stringify(event.payload))];
}

/** What a ticket's reads take of its requester and assignee: their names and how to reach them, never more. */
const PERSON_FIELDS = ['id', 'fullName', 'email', 'employeeId', 'department', 'role'] as const;
const PERSON_COLUMNS: Record<(typeof PERSON_FIELDS)[number], string> = {
  id: 'id', fullName: 'full_name', email: 'email', employeeId: 'employee_id', department: 'department', role: 'role',
};

/** What an event's or a comment's reader takes of who wrote it: a name, and the role that decides how it is shown. */
const NAMED_BY = ['author.id', 'author.fullName', 'author.role'];
export const ACTOR_NAMED_BY = ['actor.id', 'actor.fullName', 'actor.role'];

/** For a statement that returns a ticket row as `source`: its people's columns, joined, prefixed `requester__` and `assignee__`. */
function peopleOf(source: string): { columns: string; joins: string } {
  const columns = (['requester', 'assignee'] as const).flatMap((person) =>
    PERSON_FIELDS.map((field) => `${person}."${PERSON_COLUMNS[field]}" AS "${person}__${PERSON_COLUMNS[field]}"`),
  );
  return {
    columns: columns.join(', '),
    joins: `LEFT JOIN users AS requester ON requester.id = ${source}.requester_id LEFT JOIN users AS assignee ON assignee.id = ${source}.assignee_id`,
  };
}

const PEOPLE_OF_CREATED = peopleOf('created');
const PEOPLE_OF_UPDATED = peopleOf('updated');

@Injectable()
export class TicketsRepository extends TransactionalRepository {
  /**
   * Files a ticket with the event that opens its trail, in one statement and no transaction block (both
   * rows or neither).
   */
  async insertTicketWithEvent(ticket: Partial<Ticket>, event: Omit<NewTicketEvent, 'ticketId'>): Promise<Ticket> {
    const parameters: unknown[] = eventArrays([event]);
    const fields = this.fieldParameters(ticket, parameters);
    const [row] = await this.manager.query<Array<Record<string, unknown>>>(
      `WITH created AS (
         INSERT INTO tickets (${fields.map((field) => field.column).join(', ')}) VALUES (${fields.map((field) => field.parameter).join(', ')})
         RETURNING ${this.selectedColumns()}
       ), appended AS (${appendEventsFrom(eventsOf('created', 1))} RETURNING id)
       SELECT created.*, ${PEOPLE_OF_CREATED.columns} FROM created ${PEOPLE_OF_CREATED.joins} WHERE EXISTS (SELECT 1 FROM appended)`,
      parameters,
    );
    return this.hydrate(row);
  }

  /** The ticket with its requester and assignee. */
  findById(id: string): Promise<Ticket | null> {
    return this.withPeople(this.manager.createQueryBuilder(Ticket, 'ticket')).where('ticket.id = :id', { id }).getOne();
  }

  findByIds(ids: string[]): Promise<Ticket[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.manager.findBy(Ticket, { id: In(ids) });
  }

  /** Reads the ticket's requester and assignee with it, in the same statement (see PERSON_FIELDS). */
  private withPeople(query: SelectQueryBuilder<Ticket>): SelectQueryBuilder<Ticket> {
    return query
      .leftJoin('ticket.requester', 'requester')
      .leftJoin('ticket.assignee', 'assignee')
      .addSelect([...PERSON_FIELDS.map((field) => `requester.${field}`), ...PERSON_FIELDS.map((field) => `assignee.${field}`)]);
  }

  /**
   * Locks the ticket and reads, in the same statement, where its workflow run stands (a person's status
   * move must not take a status the workflow holds; the run changes hands only under this lock).
   */
  async findByIdForUpdateWithHold(id: string): Promise<{ ticket: Ticket; hold: WorkflowHold | null } | null> {
    const { entities, raw } = await this.withPeople(this.manager.createQueryBuilder(Ticket, 'ticket'))
      .leftJoin('workflow_runs', 'run', 'run.ticket_id = ticket.id')
      .addSelect('run.state', 'run_state')
      .addSelect(`run.pending->>'kind'`, 'run_pending_kind')
      .where('ticket.id = :id', { id })
      .setLock('for_no_key_update', undefined, ['ticket'])
      .getRawAndEntities<{ run_state: string | null; run_pending_kind: string | null }>();
    const ticket = entities[0];
    if (!ticket) return null;
    const run = raw[0];
    return { ticket, hold: run?.run_state ? { state: run.run_state, pendingKind: run.run_pending_kind } : null };
  }

  /**
   * Locks the ticket and the workflow run that holds it under `fence`, in one statement, in the order every
   * writer takes them (the ticket's row, then the run's): null when that claim no longer holds the run.
   */
  findByIdForUpdateUnderClaim(id: string, fence: number): Promise<Ticket | null> {
    return this.manager
      .createQueryBuilder(Ticket, 'ticket')
      .innerJoin('workflow_runs', 'run', `run.ticket_id = ticket.id AND run.state = 'running' AND run.fence = :fence`, { fence })
      .where('ticket.id = :id', { id })
      .setLock('for_no_key_update', undefined, ['ticket', 'run'])
      .getOne();
  }

  /**
   * Reads the ticket and locks its row until the transaction ends: changes to one ticket are serial. Every
   * ticket lock is FOR NO KEY UPDATE: exclusive among the ticket's writers, but not in the way of the key
   * share an insert referencing the ticket takes (its events, comments, vector), so a writer holding one
   * ticket never waits on, or deadlocks with, another transaction's insert that merely points at it.
   */
  findByIdForUpdate(id: string): Promise<Ticket | null> {
    return this.manager.createQueryBuilder(Ticket, 'ticket').where('ticket.id = :id', { id }).setLock('for_no_key_update').getOne();
  }

  async findIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows = await this.manager
      .createQueryBuilder(Ticket, 'ticket')
      .select('ticket.id', 'id')
      .where(afterId ? 'ticket.id > :afterId' : 'TRUE', { afterId })
      .orderBy('ticket.id')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /**
   * In one statement: changes the ticket and appends `events` — only if the ticket is still as `expected`
   * (its status and its last change, stored to the millisecond) and, given a `claimFence`, the workflow run
   * holds it under that fence; the rows are locked first, the ticket's then the run's, as every writer takes
   * them. Null, with nothing written, otherwise.
   */
  async updateAsExpected(
    id: string,
    expected: { status: TicketStatus; updatedAt: Date; claimFence?: number },
    changes: Partial<Ticket>,
    events: Array<Omit<NewTicketEvent, 'ticketId'>>,
  ): Promise<Ticket | null> {
    const parameters: unknown[] = [id, expected.status, expected.updatedAt];
    const underClaim = expected.claimFence !== undefined;
    if (underClaim) parameters.push(expected.claimFence);
    const target = `SELECT ticket.id FROM tickets AS ticket
        ${underClaim ? `JOIN workflow_runs AS run ON run.ticket_id = ticket.id AND run.state = 'running' AND run.fence = $4` : ''}
       WHERE ticket.id = $1 AND ticket.status = $2 AND ticket.updated_at = $3
         FOR NO KEY UPDATE OF ticket${underClaim ? ', run' : ''}`;
    return this.updateTargetWithEvents(target, parameters, changes, events);
  }

  /**
   * Changes the ticket (locked by the caller) and appends `events` for it, in order, in one statement; the
   * ticket as stored.
   */
  async updateWithEvents(id: string, changes: Partial<Ticket>, events: Array<Omit<NewTicketEvent, 'ticketId'>>): Promise<Ticket> {
    const updated = await this.updateTargetWithEvents('SELECT $1::uuid AS id', [id], changes, events);
    if (!updated) throw new EntityNotFoundError(Ticket, { id });
    return updated;
  }

  /**
   * The one statement that changes a ticket with its events: `target` (a query of the ticket's id, with
   * its own `parameters`) names the row; the change and the events are written only if it does. The
   * ticket as stored, or null.
   */
  private async updateTargetWithEvents(
    target: string,
    parameters: unknown[],
    changes: Partial<Ticket>,
    events: Array<Omit<NewTicketEvent, 'ticketId'>>,
  ): Promise<Ticket | null> {
    const firstEvent = parameters.length + 1;
    parameters.push(...eventArrays(events));
    const assignments = this.fieldParameters(changes, parameters).map((field) => `${field.column} = ${field.parameter}`);
    const rows = await this.manager.query<Array<Record<string, unknown>>>(
      `WITH target AS (${target}), updated AS (
         UPDATE tickets SET ${assignments.join(', ')}, "updated_at" = CURRENT_TIMESTAMP FROM target WHERE tickets.id = target.id
         RETURNING ${this.selectedColumns('tickets')}
       ), appended AS (${appendEventsFrom(eventsOf('updated', firstEvent), 'event.position')} RETURNING id)
       SELECT updated.*, ${PEOPLE_OF_UPDATED.columns} FROM updated ${PEOPLE_OF_UPDATED.joins} WHERE EXISTS (SELECT 1 FROM appended)`,
      parameters,
    );
    return rows[0] ? this.hydrate(rows[0]) : null;
  }

  /** The columns of `fields` (a ticket's properties) with their parameters, each value pushed to `parameters` as the driver stores it. */
  private fieldParameters(fields: Partial<Ticket>, parameters: unknown[]): Array<{ column: string; parameter: string }> {
    const metadata = this.manager.connection.getMetadata(Ticket);
    return Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([property, value]) => {
        const column = metadata.findColumnWithPropertyPath(property)!;
        parameters.push(this.manager.connection.driver.preparePersistentValue(value, column));
        return { column: `"${column.databaseName}"`, parameter: `$${parameters.length}` };
      });
  }

  /** The columns a read of a ticket selects, for a RETURNING clause. */
  private selectedColumns(table?: string): string {
    const prefix = table ? `${table}.` : '';
    return this.manager.connection
      .getMetadata(Ticket)
      .columns.filter((column) => column.isSelect)
      .map((column) => `${prefix}"${column.databaseName}"`)
      .join(', ');
  }

  /** A ticket from a row that returned its selectable columns. */
  private hydrate(row: Record<string, unknown>): Ticket {
    const metadata = this.manager.connection.getMetadata(Ticket);
    const ticket = metadata.create() as Ticket;
    for (const column of metadata.columns.filter((candidate) => candidate.isSelect)) {
      column.setEntityValue(ticket, this.manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    if ('requester__id' in row) {
      ticket.requester = this.personFrom(row, 'requester') ?? undefined;
      ticket.assignee = this.personFrom(row, 'assignee') ?? undefined;
    }
    return ticket;
  }

  /** A person's columns from a row that joined them (see peopleOf); null when the join found nobody. */
  private personFrom(row: Record<string, unknown>, person: 'requester' | 'assignee'): User | null {
    if (row[`${person}__id`] == null) return null;
    const fields = Object.fromEntries(PERSON_FIELDS.map((field) => [field, row[`${person}__${PERSON_COLUMNS[field]}`]]));
    return this.manager.create(User, fields);
  }

  async findPage(filters: TicketFilters, page: TicketPageRequest): Promise<{ tickets: Ticket[]; total?: number }> {
    // COUNT(*), not TypeORM's getCount: that counts DISTINCT ids, which this single-table query never needs.
    const counted = page.countTotal ? await this.filtered(filters).select('COUNT(*)', 'total').getRawOne<{ total: string }>() : undefined;
    const tickets = await this.withPeople(this.pageQuery(filters, page)).getMany();
    return { tickets, total: counted && Number(counted.total) };
  }

  /** The statement that reads one page; the list's query-plan tests check that it stays on its indexes. */
  pageQuery(filters: TicketFilters, page: Omit<TicketPageRequest, 'countTotal'>): SelectQueryBuilder<Ticket> {
    const query = this.filtered(filters);
    const descending = page.sort.startsWith('-');
    const { column, cast } = SORT_COLUMNS[page.sort.replace(/^-/, '')];
    if (page.after) {
      query.andWhere(`(${column}, ticket.id) ${descending ? '<' : '>'} (CAST(:afterValue AS ${cast}), CAST(:afterId AS uuid))`, {
        afterValue: page.after.value,
        afterId: page.after.id,
      });
    }
    const order = descending ? 'DESC' : 'ASC';
    return query
      .orderBy(column, order)
      .addOrderBy('ticket.id', order)
      .offset(page.after ? 0 : page.offset)
      .limit(page.limit);
  }

  private filtered(filters: TicketFilters): SelectQueryBuilder<Ticket> {
    const query = this.manager.createQueryBuilder(Ticket, 'ticket');
    const equal: Array<[string, unknown]> = [
      ['requester_id', filters.requesterId],
      ['employee_id', filters.employeeId],
      ['status', filters.status],
      ['priority', filters.priority],
      ['category', filters.category],
      ['request_type', filters.requestType],
      ['assignee_id', filters.assigneeId],
      ['sla_state', filters.slaState],
    ];
    for (const [column, value] of equal) {
      if (value === null) query.andWhere(`ticket.${column} IS NULL`);
      else if (value !== undefined) query.andWhere(`ticket.${column} = :${column}`, { [column]: value });
    }
    if (filters.heldByIncident !== undefined) query.andWhere(`ticket.decision ${filters.heldByIncident ? '=' : '<>'} 'incident'`);
    if (filters.createdAfter) query.andWhere('ticket.created_at >= :createdAfter', { createdAfter: filters.createdAfter });
    if (filters.createdBefore) query.andWhere('ticket.created_at < :createdBefore', { createdBefore: filters.createdBefore });
    if (filters.text) {
      // Full-text match (stemmed words, any order), or the text as a substring of the title: each half has
      // its index (GIN on search_vector, trigram GIN on title), so the planner can OR the two bitmaps.
      query.andWhere(`(ticket.search_vector @@ websearch_to_tsquery('english', :text) OR ticket.title ILIKE :like)`, {
        text: filters.text,
        like: `%${filters.text.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    return query;
  }

  insertComment(comment: Pick<TicketComment, 'ticketId' | 'authorId' | 'body' | 'internal'>): Promise<TicketComment> {
    return this.manager.save(TicketComment, this.manager.create(TicketComment, comment));
  }

  /** Oldest first; `total` counts every comment the viewer may see, whatever the page. */
  async findComments(ticketId: string, options: { includeInternal: boolean }, page: PageRequest): Promise<[TicketComment[], number]> {
    const query = this.manager.createQueryBuilder(TicketComment, 'comment').where('comment.ticket_id = :ticketId', { ticketId });
    if (!options.includeInternal) query.andWhere('NOT comment.internal');
    const total = await query.clone().getCount();
    query.leftJoin('comment.author', 'author').addSelect(NAMED_BY);
    if (page.after) query.andWhere('(comment.created_at, comment.id) > (:afterAt, CAST(:afterId AS uuid))', { afterAt: page.after.createdAt, afterId: page.after.id });
    const comments = await query.orderBy('comment.created_at', 'ASC').addOrderBy('comment.id', 'ASC').offset(page.after ? 0 : page.offset).limit(page.limit).getMany();
    return [comments, total];
  }

  /** Appends an event in the caller's transaction (see appendEventsFrom); its id. */
  async appendEvent(event: NewTicketEvent): Promise<Pick<TicketEvent, 'id'>> {
    const [id] = await this.appendEvents([event]);
    return { id };
  }

  /** Appends several events in one statement, in the order given; their ids, in that order. */
  async appendEvents(events: NewTicketEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = await this.manager.query<Array<{ id: string }>>(
      `${appendEventsFrom(
        `unnest($1::uuid[], $2::text[], $3::uuid[], $4::boolean[], $5::jsonb[]) WITH ORDINALITY AS event (ticket_id, type, actor_id, staff_only, payload, position)`,
        'event.position',
      )} RETURNING id`,
      [
        events.map((event) => event.ticketId),
        events.map((event) => event.type),
        events.map((event) => event.actorId),
        events.map((event) => event.staffOnly),
        events.map((event) => JSON.stringify(event.payload)),
      ],
    );
    return rows.map((row) => String(row.id));
  }

  /** Whether the ticket's last approval decision (a person's, or an expiry that denied) was a denial. */
  async lastApprovalWasDenial(ticketId: string): Promise<boolean> {
    const rows = await this.manager.query<Array<{ approval: boolean }>>(
      `SELECT (payload->>'approval')::boolean AS approval FROM ticket_events
       WHERE ticket_id = $1 AND type = 'hil_response' AND payload->>'kind' = 'approval' AND jsonb_typeof(payload->'approval') = 'boolean'
       ORDER BY id DESC LIMIT 1`,
      [ticketId],
    );
    return rows[0]?.approval === false;
  }

  findEvents(ticketId: string, options: { includeStaffOnly: boolean; after: number; limit: number }): Promise<TicketEvent[]> {
    const query = this.manager
      .createQueryBuilder(TicketEvent, 'event')
      .leftJoin('event.actor', 'actor')
      .addSelect(ACTOR_NAMED_BY)
      .where('event.ticket_id = :ticketId AND event.id > :after', { ticketId, after: options.after });
    if (!options.includeStaffOnly) query.andWhere('NOT event.staff_only');
    return query.orderBy('event.id', 'ASC').limit(options.limit).getMany();
  }
}
