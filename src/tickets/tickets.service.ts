import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { assertOnePagingMode, nextCursor, pageRequest } from '../common/keyset-cursor';
import { UsersService } from '../users/users.service';
import { CommentDto, CommentListDto, CreateCommentDto, mapComment } from './dto/comment.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto, TicketListDto } from './dto/list-tickets.dto';
import { ListTicketEventsQueryDto, mapTicketEvent, TicketEventListDto } from './dto/ticket-event.dto';
import { TicketDto } from './dto/ticket.dto';
import { UpdateTicketDto } from './dto/update-ticket.dto';
import { audienceOf, isStaff, mapTicketFor, toStaffView, Viewer } from './ticket-audience';
import { decodeCursor, encodeCursor } from './ticket-cursor';
import { replyReopensUntil, TicketWriter } from './ticket-writer.service';
import { AppConfig } from '../config/app-config';
import { DEFAULT_CATEGORY, TicketPriority, TicketUrgency } from './ticket.enums';
import { Ticket } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

export { isStaff } from './ticket-audience';
export type { Viewer } from './ticket-audience';
export type { TicketChanges } from './ticket-writer.service';

@Injectable()
export class TicketsService {
  constructor(
    private readonly ticketsRepository: TicketsRepository,
    private readonly ticketWriter: TicketWriter,
    private readonly usersService: UsersService,
    private readonly config: AppConfig,
  ) {}

  async create(requester: Viewer, dto: CreateTicketDto): Promise<TicketDto> {
    // Only a ticket the requester may see can be followed up: someone else's answers 404, as reading it would.
    if (dto.follow_up_of) await this.findVisible(requester, dto.follow_up_of);
    const created = await this.ticketWriter.fileTicket(requester.id, {
      title: dto.title,
      description: dto.description,
      requestType: dto.request_type,
      category: dto.category ?? DEFAULT_CATEGORY[dto.request_type],
      priority: dto.priority ?? TicketPriority.Medium,
      urgency: dto.urgency ?? TicketUrgency.Normal,
      businessJustification: dto.business_justification ?? null,
      desiredCompletionDate: dto.desired_completion_date ?? null,
      employeeId: requester.employeeId,
      followUpOf: dto.follow_up_of ?? null,
    });
    return this.present(requester, created);
  }

  async list(viewer: Viewer, query: ListTicketsQueryDto): Promise<TicketListDto> {
    assertOnePagingMode(query);
    const { tickets, total } = await this.ticketsRepository.findPage(
      {
        // Users see their own tickets whatever they filter on; support and admin see all.
        requesterId: isStaff(viewer) ? undefined : viewer.id,
        employeeId: query.employee_id,
        status: query.status,
        priority: query.priority,
        category: query.category,
        requestType: query.request_type,
        assigneeId: query.assignee_id === 'me' ? viewer.id : query.assignee_id === 'none' ? null : query.assignee_id,
        text: query.q || undefined,
        createdAfter: query.created_after,
        createdBefore: query.created_before,
        slaState: query.sla,
        heldByIncident: query.held_by_incident,
      },
      { sort: query.sort, limit: query.limit, offset: query.offset, after: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined, countTotal: query.include_total === true },
    );
    const last = tickets.at(-1);
    const more = tickets.length === query.limit && last !== undefined;
    return {
      tickets: tickets.map((ticket) => this.present(viewer, ticket)),
      count: tickets.length,
      ...(total === undefined ? {} : { total }),
      next_cursor: more ? encodeCursor(last, query.sort) : null,
    };
  }

  async get(viewer: Viewer, ticketId: string): Promise<TicketDto> {
    return this.present(viewer, await this.findVisible(viewer, ticketId));
  }

  /** A ticket as the viewer may see it, with until when a reply reopens it (a resolved one). */
  private present(viewer: Viewer, ticket: Ticket): TicketDto {
    return this.withReplyWindow(mapTicketFor(viewer, ticket));
  }

  private withReplyWindow(ticket: TicketDto): TicketDto {
    return { ...ticket, reply_reopens_until: replyReopensUntil({ status: ticket.status, updatedAt: ticket.updated_at }, this.config.reopenOnReplyMs) };
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
    return this.withReplyWindow(
      await this.ticketWriter.changeByStaff(actor.id, ticketId, { status: dto.status, priority: dto.priority, category: dto.category, assigneeId: dto.assignee_id }, comment),
    );
  }

  /** A ticket for the system's own use (indexing, the workflow): no viewer, no visibility check, every field. */
  async findById(ticketId: string): Promise<TicketDto | null> {
    const ticket = await this.ticketsRepository.findById(ticketId);
    return ticket ? toStaffView(ticket) : null;
  }

  /** Tickets for the system's own use, like findById; those that no longer exist are left out. */
  async findByIds(ticketIds: string[]): Promise<TicketDto[]> {
    return (await this.ticketsRepository.findByIds(ticketIds)).map(toStaffView);
  }

  /** Every ticket id, in pages (for re-indexing). */
  findIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    return this.ticketsRepository.findIdsAfter(afterId, limit);
  }

  async addComment(author: Viewer & { fullName: string }, ticketId: string, dto: CreateCommentDto): Promise<CommentDto> {
    await this.findVisible(author, ticketId);
    if (dto.internal && !isStaff(author)) throw new ForbiddenException('Only support and admin can write internal notes');
    const internal = dto.internal ?? false;
    const comment = await this.ticketWriter.recordComment(ticketId, author.id, dto.body, internal);
    // Its author is the caller, who reads their own name in full.
    return { ...mapComment(comment, 'staff'), author_name: author.fullName };
  }

  async listComments(viewer: Viewer, ticketId: string, query: { limit: number; offset: number; cursor?: string }): Promise<CommentListDto> {
    const page = pageRequest(query);
    await this.findVisible(viewer, ticketId);
    const [comments, total] = await this.ticketsRepository.findComments(ticketId, { includeInternal: isStaff(viewer) }, page);
    return { comments: comments.map((comment) => mapComment(comment, audienceOf(viewer))), count: comments.length, total, next_cursor: nextCursor(comments, query.limit) };
  }

  async listEvents(viewer: Viewer, ticketId: string, query: ListTicketEventsQueryDto): Promise<TicketEventListDto> {
    await this.findVisible(viewer, ticketId);
    const events = await this.ticketsRepository.findEvents(ticketId, { includeStaffOnly: isStaff(viewer), after: query.after, limit: query.limit });
    const last = events.at(-1);
    return { events: events.map((event) => mapTicketEvent(event, audienceOf(viewer))), count: events.length, next_after: events.length === query.limit && last ? last.id : null };
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
