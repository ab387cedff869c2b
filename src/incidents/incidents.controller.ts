import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../users/role.enum';
import { ConfirmIncidentDto, CreateIncidentDto, IncidentTicketRefDto, ListIncidentsDto, PostIncidentUpdateDto, ResolveIncidentDto } from './dto/incident-requests.dto';
import { IncidentDetailDto, IncidentListDto } from './dto/incident.dto';
import { IncidentsService } from './incidents.service';

/**
 * Major incidents (support and admin only): many people's reports of one outage, grouped — proposed by
 * detection, confirmed or dismissed by support, worked and resolved once for all of their tickets.
 */
@ApiTags('incidents')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Support, Role.Admin)
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidentsService: IncidentsService) {}

  /** Incidents, newest first (at most 200): `status=proposed,open` for what needs attention; `ticket_id` for a ticket's. */
  @ApiErrors(400)
  @Get()
  list(@Query() query: ListIncidentsDto): Promise<IncidentListDto> {
    return this.incidentsService.list(query);
  }

  /** Create an incident by hand from chosen tickets: open at once, their requesters told it is known. */
  @ApiErrors(400, 404, 409)
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateIncidentDto): Promise<IncidentDetailDto> {
    return this.incidentsService.create(user, dto);
  }

  /** One incident with its tickets and the updates posted on it. */
  @ApiErrors(400, 404)
  @Get(':incident_id')
  get(@Param('incident_id', ParseUUIDPipe) incidentId: string): Promise<IncidentDetailDto> {
    return this.incidentsService.get(incidentId);
  }

  /** Confirm a proposed incident: it opens, the assistant stops on its tickets, and each requester is told the problem is known. */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/confirm')
  confirm(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string, @Body() dto: ConfirmIncidentDto): Promise<IncidentDetailDto> {
    return this.incidentsService.confirm(user, incidentId, dto.title);
  }

  /** Dismiss a proposed incident: its tickets carry on on their own and are not grouped again. */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/dismiss')
  dismiss(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string): Promise<IncidentDetailDto> {
    return this.incidentsService.dismiss(user, incidentId);
  }

  /** Add a ticket to a proposed or open incident (409 if it is in another one). */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/link')
  link(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string, @Body() dto: IncidentTicketRefDto): Promise<IncidentDetailDto> {
    return this.incidentsService.link(user, incidentId, dto.ticket_id);
  }

  /** Take a ticket out of a proposed or open incident; out of an open one it goes back to the support queue. */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/unlink')
  unlink(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string, @Body() dto: IncidentTicketRefDto): Promise<IncidentDetailDto> {
    return this.incidentsService.unlink(user, incidentId, dto.ticket_id);
  }

  /** Post an update once: every open ticket of the incident gets it as a comment, with an `incident_update` event. */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/updates')
  postUpdate(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string, @Body() dto: PostIncidentUpdateDto): Promise<IncidentDetailDto> {
    return this.incidentsService.postUpdate(user, incidentId, dto.body);
  }

  /**
   * Resolve the incident: every open ticket of it is resolved with `resolution` (each once, in batches that
   * resume after a crash); `resolving` is true until the last one is.
   */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/resolve')
  resolve(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string, @Body() dto: ResolveIncidentDto): Promise<IncidentDetailDto> {
    return this.incidentsService.resolve(user, incidentId, dto.resolution);
  }

  /** Reopen a resolved incident (the outage is back): new reports join it; tickets already resolved are not reopened. */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post(':incident_id/reopen')
  reopen(@CurrentUser() user: AuthUser, @Param('incident_id', ParseUUIDPipe) incidentId: string): Promise<IncidentDetailDto> {
    return this.incidentsService.reopen(user, incidentId);
  }
}
