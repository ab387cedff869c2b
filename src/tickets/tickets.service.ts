import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuthUser } from '../auth/auth-user';
import { STAFF_ROLES } from '../users/role.enum';
import { TransactionJoin } from '../database/transactional.repository';
import { UsersService } from '../users/users.service';
import { CommentDto, CommentListDto, CreateCommentDto, mapComment } from './dto/comment.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto, TicketListDto } from './dto/list-tickets.dto';
import { ListTicketEventsQueryDto, mapTicketEvent, TicketEventListDto } from './dto/ticket-event.dto';
import { mapTicket, TicketDto } from './dto/ticket.dto';
import { UpdateTicketDto } from './dto/update-ticket.dto';
import { decodeCursor, encodeCursor } from './ticket-cursor';
import { TICKET_CREATED, TICKET_EVENTS_APPENDED, TICKET_UPDATED, TicketCreatedSignal, TicketEventType, TicketUpdatedSignal } from './ticket-events';
import { TicketSuggestion } from './ticket-suggestion';
import { allowedNextStatuses, canTransition, NEXT_ACTION } from './ticket-transitions';
import { DEFAULT_CATEGORY, TicketPriority, TicketStatus, TicketUrgency } from './ticket.enums';
import { Ticket } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

export type Viewer = Pick<AuthUser, 'id' | 'role' | 'employeeId'>;

export function isStaff(viewer: Pick<Viewer, 'role'>): boolean {
  return STAFF_ROLES.includes(viewer.role);
}

/** What else a change records in its transaction: an event before its workflow_update, another module's writes. */
export interface ChangeExtras {
  event?: { type: TicketEventType; payload: Record<string, unknown>; staffOnly?: boolean };
  within?: (join: TransactionJoin) => Promise<void>;
  /** Extra fields for the workflow_update's payload (e.g. the workflow step and the rule that fired). */
  note?: Record<string, unknown>;
  /** Apply only if the ticket is (still) in this status; otherwise change nothing, or answer 409. */
  requireStatus?: { status: TicketStatus; otherwise: 'skip' | 'conflict' };
}

/** The fields a change may touch, as the workflow and support set them. */
export type TicketChanges = Partial<Pick<Ticket, 'status' | 'priority' | 'category' | 'assigneeId' | 'decision' | 'planSummary' | 'resolution' | 'nextAction'>>;

@Injectable()
export class TicketsService {
  constructor(
    private readonly ticketsRepository: TicketsRepository,
    private readonly usersService: UsersService,
    private readonly events: EventEmitter2,
  ) {}

  async create(requester: Viewer, dto: CreateTicketDto): Promise<TicketDto> {
    const ticket = await this.ticketsRepository.inTransaction(async (tickets) => {
      const created = await tickets.insertTicket({
        title: dto.title,
        description: dto.description,
        requestType: dto.request_type,
        category: dto.category ?? DEFAULT_CATEGORY[dto.request_type],
        priority: dto.priority ?? TicketPriority.Medium,
        urgency: dto.urgency ?? TicketUrgency.Normal,
        businessJustification: dto.business_justification ?? null,
        desiredCompletionDate: dto.desired_completion_date ?? null,
        status: TicketStatus.Pending,
        decision: 'pending',
        nextAction: NEXT_ACTION[TicketStatus.Pending],
        requesterId: requester.id,
        employeeId: requester.employeeId,
      });
      await tickets.appendEvent({
        ticketId: created.id,
        type: TicketEventType.WorkflowUpdate,
        actorId: requester.id,
        staffOnly: false,
        payload: { ...snapshot(created), change: 'created' },
      });
      return created;
    });
    this.events.emit(TICKET_EVENTS_APPENDED);
    this.events.emit(TICKET_CREATED, { ticketId: ticket.id } satisfies TicketCreatedSignal);
    return mapTicket(ticket);
  }

  async list(viewer: Viewer, query: ListTicketsQueryDto): Promise<TicketListDto> {
    if (query.cursor && query.offset > 0) throw new BadRequestException('Use either cursor or offset, not both');
    const { tickets, total } = await this.ticketsRepository.findPage(
      {
        // Users see their own tickets whatever they filter on; support and admin see all.
        requesterId: isStaff(viewer) ? undefined : viewer.id,
        employeeId: query.employee_id,
        status: query.status,
        priority: query.priority,
        category: query.category,
        requestType: query.request_type,
        assigneeId: query.assignee_id,
        text: query.q || undefined,
        createdAfter: query.created_after,
        createdBefore: query.created_before,
      },
      { sort: query.sort, limit: query.limit, offset: query.offset, after: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined },
    );
    const last = tickets.at(-1);
    const more = tickets.length === query.limit && last !== undefined;
    return {
      tickets: tickets.map(mapTicket),
      count: tickets.length,
      total,
      next_cursor: more ? encodeCursor(last, query.sort) : null,
    };
  }

  async get(viewer: Viewer, ticketId: string): Promise<TicketDto> {
    return mapTicket(await this.findVisible(viewer, ticketId));
  }

  /** Throws 404 unless the viewer may see the ticket: its requester, or support and admin. */
  async assertVisible(viewer: Viewer, ticketId: string): Promise<void> {
    await this.findVisible(viewer, ticketId);
  }

  async update(actor: Viewer, ticketId: string, dto: UpdateTicketDto): Promise<TicketDto> {
    const { comment, ...fields } = dto;
    if (Object.values(fields).every((value) => value === undefined) && comment === undefined) {
      throw new BadRequestException('Nothing to update: give status, priority, category, assignee_id or comment');
    }
    if (dto.assignee_id) await this.assertAssignable(dto.assignee_id);
    const changes: TicketChanges = {
      status: dto.status,
      priority: dto.priority,
      category: dto.category,
      assigneeId: dto.assignee_id,
    };
    return this.applyChanges(ticketId, actor.id, changes, comment);
  }

  /**
   * Applies changes to a ticket with its event, in one transaction: the status follows the transition
   * table (409 otherwise), next_action follows the status, and the stream shows a workflow_update.
   */
  async applyChanges(ticketId: string, actorId: string | null, requested: TicketChanges, comment?: string, extras: ChangeExtras = {}): Promise<TicketDto> {
    let changed = false;
    const ticket = await this.ticketsRepository.inTransaction(async (tickets) => {
      const current = await tickets.findByIdForUpdate(ticketId);
      if (!current) throw new NotFoundException(`Ticket ${ticketId} not found`);
      if (extras.requireStatus && current.status !== extras.requireStatus.status) {
        if (extras.requireStatus.otherwise === 'skip') return current;
        throw new ConflictException(`Ticket ${ticketId} is now ${current.status}, no longer ${extras.requireStatus.status}`);
      }
      const changes = withoutUnchanged(current, requested);
      // Asking for what the ticket already is changes nothing and records nothing.
      if (Object.keys(changes).length === 0 && comment === undefined && extras.event === undefined) {
        await extras.within?.((repository) => tickets.join(repository));
        return current;
      }
      // The comment that resolves a ticket is its resolution.
      if (changes.status === TicketStatus.Resolved && comment !== undefined && changes.resolution === undefined) changes.resolution = comment;
      changed = true;
      if (changes.status !== undefined && !canTransition(current.status, changes.status)) {
        throw new ConflictException(
          `Cannot move a ticket from ${current.status} to ${changes.status}; from ${current.status} it can go to: ${allowedNextStatuses(current.status).join(', ')}`,
        );
      }
      if (changes.status !== undefined) changes.nextAction = NEXT_ACTION[changes.status];
      const updated = Object.keys(changes).length > 0 ? await tickets.updateTicket(ticketId, changes) : current;
      if (comment !== undefined) {
        await tickets.insertComment({ ticketId, authorId: actorId, body: comment, internal: false });
      }
      if (extras.event) {
        await tickets.appendEvent({ ticketId, actorId, type: extras.event.type, staffOnly: extras.event.staffOnly ?? false, payload: extras.event.payload });
      }
      await extras.within?.((repository) => tickets.join(repository));
      await tickets.appendEvent({
        ticketId,
        type: TicketEventType.WorkflowUpdate,
        actorId,
        staffOnly: false,
        payload: {
          ...snapshot(updated),
          change: 'updated',
          changes: describeChanges(current, changes),
          ...(comment !== undefined ? { comment } : {}),
          ...extras.note,
        },
      });
      return updated;
    });
    if (changed) {
      this.events.emit(TICKET_EVENTS_APPENDED);
      this.events.emit(TICKET_UPDATED, { ticketId, status: ticket.status, actorId } satisfies TicketUpdatedSignal);
    }
    return mapTicket(ticket);
  }

  /** Stores an AI suggestion on the ticket and shows it on the stream (a workflow_update). */
  async recordSuggestion(ticketId: string, actorId: string | null, suggestion: TicketSuggestion): Promise<TicketDto> {
    const ticket = await this.ticketsRepository.inTransaction(async (tickets) => {
      if (!(await tickets.findByIdForUpdate(ticketId))) throw new NotFoundException(`Ticket ${ticketId} not found`);
      const updated = await tickets.updateTicket(ticketId, { suggestion });
      await tickets.appendEvent({
        ticketId,
        type: TicketEventType.WorkflowUpdate,
        actorId,
        staffOnly: false,
        payload: { ...snapshot(updated), change: 'suggestion', suggestion: { ...suggestion } },
      });
      return updated;
    });
    this.events.emit(TICKET_EVENTS_APPENDED);
    return mapTicket(ticket);
  }

  /** A ticket for the system's own use (indexing, the workflow): no viewer, no visibility check. */
  async findById(ticketId: string): Promise<TicketDto | null> {
    const ticket = await this.ticketsRepository.findById(ticketId);
    return ticket ? mapTicket(ticket) : null;
  }

  /** Every ticket id, in pages (for re-indexing). */
  findIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    return this.ticketsRepository.findIdsAfter(afterId, limit);
  }

  async addComment(author: Viewer, ticketId: string, dto: CreateCommentDto): Promise<CommentDto> {
    await this.findVisible(author, ticketId);
    if (dto.internal && !isStaff(author)) throw new ForbiddenException('Only support and admin can write internal notes');
    const internal = dto.internal ?? false;
    const comment = await this.ticketsRepository.inTransaction(async (tickets) => {
      if (!(await tickets.findByIdForUpdate(ticketId))) throw new NotFoundException(`Ticket ${ticketId} not found`);
      const created = await tickets.insertComment({ ticketId, authorId: author.id, body: dto.body, internal });
      await tickets.appendEvent({
        ticketId,
        type: TicketEventType.Comment,
        actorId: author.id,
        staffOnly: internal,
        payload: { comment_id: created.id, author_id: author.id, body: created.body, internal },
      });
      return created;
    });
    this.events.emit(TICKET_EVENTS_APPENDED);
    return mapComment(comment);
  }

  async listComments(viewer: Viewer, ticketId: string, page: { limit: number; offset: number }): Promise<CommentListDto> {
    await this.findVisible(viewer, ticketId);
    const [comments, total] = await this.ticketsRepository.findComments(ticketId, { includeInternal: isStaff(viewer), ...page });
    return { comments: comments.map(mapComment), count: comments.length, total };
  }

  async listEvents(viewer: Viewer, ticketId: string, query: ListTicketEventsQueryDto): Promise<TicketEventListDto> {
    await this.findVisible(viewer, ticketId);
    const events = await this.ticketsRepository.findEvents(ticketId, { includeStaffOnly: isStaff(viewer), after: query.after, limit: query.limit });
    const last = events.at(-1);
    return { events: events.map(mapTicketEvent), count: events.length, next_after: events.length === query.limit && last ? last.id : null };
  }

  private async findVisible(viewer: Viewer, ticketId: string): Promise<Ticket> {
    const ticket = await this.ticketsRepository.findById(ticketId);
    // Someone else's ticket answers exactly like a missing one: its existence is not revealed.
    if (!ticket || !(isStaff(viewer) || ticket.requesterId === viewer.id)) throw new NotFoundException(`Ticket ${ticketId} not found`);
    return ticket;
  }

  private async assertAssignable(userId: string): Promise<void> {
    const assignee = await this.usersService.findActive(userId);
    if (!assignee || !isStaff(assignee)) throw new BadRequestException('assignee_id must be an active support or admin user');
  }
}

/** The ticket fields every workflow_update carries (seed 000 shows status and decision). */
function snapshot(ticket: Ticket): Record<string, unknown> {
  return {
    status: ticket.status,
    decision: ticket.decision,
    plan_summary: ticket.planSummary,
    next_action: ticket.nextAction,
    priority: ticket.priority,
    category: ticket.category,
    assignee_id: ticket.assigneeId,
  };
}

type MutableTicketFields = TicketChanges;

function withoutUnchanged(current: Ticket, requested: TicketChanges): MutableTicketFields {
  const changes: MutableTicketFields = {};
  for (const [key, value] of Object.entries(requested) as Array<[keyof TicketChanges, unknown]>) {
    if (value !== undefined && current[key] !== value) (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}

const FIELD_NAMES: Record<string, string> = { assigneeId: 'assignee_id', planSummary: 'plan_summary', nextAction: 'next_action' };

function describeChanges(before: Ticket, changes: MutableTicketFields): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(
    Object.entries(changes).map(([key, to]) => [FIELD_NAMES[key] ?? key, { from: before[key as keyof Ticket], to }]),
  );
}
