import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { CursorPageQueryDto } from '../common/pagination.dto';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { LimitPerUser } from '../limits/user-limit.guard';
import { Role } from '../users/role.enum';
import { CommentDto, CommentListDto, CreateCommentDto } from './dto/comment.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto, TicketListDto } from './dto/list-tickets.dto';
import { ListTicketEventsQueryDto, TicketEventListDto } from './dto/ticket-event.dto';
import { TicketStatsDto, TicketStatsQueryDto } from './dto/ticket-stats.dto';
import { TicketDto } from './dto/ticket.dto';
import { UpdateTicketDto } from './dto/update-ticket.dto';
import { TicketStatsService } from './ticket-stats.service';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401)
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly ticketsService: TicketsService,
    private readonly ticketStatsService: TicketStatsService,
  ) {}

  /** File a ticket as the signed-in user. */
  @ApiErrors(400)
  @LimitPerUser('requests')
  @Idempotent()
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTicketDto): Promise<TicketDto> {
    return this.ticketsService.create(user, dto);
  }

  /** Your tickets, or every ticket for support and admin; filter, search, sort and page. */
  @ApiErrors(400)
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListTicketsQueryDto): Promise<TicketListDto> {
    return this.ticketsService.list(user, query);
  }

  /** Figures for the support dashboard: tickets by status, filed per day, resolutions and the approvals queue (support and admin). */
  @Roles(Role.Support, Role.Admin)
  @ApiErrors(400, 403)
  // Declared before `:ticket_id`, which would otherwise take "stats" for a ticket id.
  @Get('stats')
  stats(@Query() query: TicketStatsQueryDto): Promise<TicketStatsDto> {
    return this.ticketStatsService.stats(query.days);
  }

  /** One ticket (its requester, or support and admin). */
  @ApiErrors(400, 404)
  @Get(':ticket_id')
  get(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<TicketDto> {
    return this.ticketsService.get(user, ticketId);
  }

  /** Change status (following the transition table), priority, category or assignee (support and admin). */
  @Roles(Role.Support, Role.Admin)
  @ApiErrors(400, 403, 404, 409)
  @Patch(':ticket_id')
  update(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Body() dto: UpdateTicketDto): Promise<TicketDto> {
    return this.ticketsService.update(user, ticketId, dto);
  }

  /** Add to the ticket's conversation; support and admin may add internal notes. */
  @ApiErrors(400, 403, 404)
  @Idempotent()
  @Post(':ticket_id/comments')
  addComment(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Body() dto: CreateCommentDto): Promise<CommentDto> {
    return this.ticketsService.addComment(user, ticketId, dto);
  }

  /** The ticket's conversation, oldest first (internal notes for support and admin only). */
  @ApiErrors(400, 404)
  @Get(':ticket_id/comments')
  listComments(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Query() page: CursorPageQueryDto): Promise<CommentListDto> {
    return this.ticketsService.listComments(user, ticketId, page);
  }

  /** The ticket's audit trail: every change, oldest first, with the same ids as the live stream. */
  @ApiErrors(400, 404)
  @Get(':ticket_id/events')
  listEvents(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Query() query: ListTicketEventsQueryDto): Promise<TicketEventListDto> {
    return this.ticketsService.listEvents(user, ticketId, query);
  }
}
