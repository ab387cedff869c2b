import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../users/role.enum';
import { SaveCalendarDto, SlaCalendarDto, SlaCalendarListDto } from './dto/sla-calendar.dto';
import { PolicyVersionQueryDto, SavePolicyDto, SlaPolicyDto, SlaPolicyListDto } from './dto/sla-policy.dto';
import { SimulatePolicyDto, SlaSimulationDto } from './dto/sla-simulation.dto';
import { SlaService } from './sla.service';

/** Service-level policies and the calendars they count working time in (admin). */
@ApiTags('sla')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Admin)
@Controller('sla')
export class SlaController {
  constructor(private readonly slaService: SlaService) {}

  /** Every calendar, by name. */
  @Get('calendars')
  async listCalendars(): Promise<SlaCalendarListDto> {
    return { calendars: await this.slaService.listCalendars() };
  }

  /** A calendar of working time: an IANA time zone, weekly working intervals (split days allowed) and holidays. */
  @ApiErrors(400, 409)
  @Post('calendars')
  createCalendar(@Body() dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    return this.slaService.createCalendar(dto);
  }

  /** One calendar. */
  @ApiErrors(400, 404)
  @Get('calendars/:calendar_id')
  getCalendar(@Param('calendar_id', ParseUUIDPipe) id: string): Promise<SlaCalendarDto> {
    return this.slaService.getCalendar(id);
  }

  /** Replace a calendar; open tickets measured in it are evaluated again (the pauses each earned stay). */
  @ApiErrors(400, 404, 409)
  @Put('calendars/:calendar_id')
  updateCalendar(@Param('calendar_id', ParseUUIDPipe) id: string, @Body() dto: SaveCalendarDto): Promise<SlaCalendarDto> {
    return this.slaService.updateCalendar(id, dto);
  }

  /** Remove a calendar no policy version uses (409 otherwise). */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete('calendars/:calendar_id')
  deleteCalendar(@Param('calendar_id', ParseUUIDPipe) id: string): Promise<void> {
    return this.slaService.deleteCalendar(id);
  }

  /** The current version of every policy, the default first. */
  @Get('policies')
  async listPolicies(): Promise<SlaPolicyListDto> {
    return { policies: await this.slaService.listPolicies() };
  }

  /** A new policy (version 1); `is_default: true` makes every ticket measured by it from now on. */
  @ApiErrors(400, 409)
  @Post('policies')
  createPolicy(@CurrentUser() admin: AuthUser, @Body() dto: SavePolicyDto): Promise<SlaPolicyDto> {
    return this.slaService.createPolicy(dto, admin.id);
  }

  /** A policy's current version, or `?version=` an earlier one. */
  @ApiErrors(400, 404)
  @Get('policies/:policy_id')
  getPolicy(@Param('policy_id', ParseUUIDPipe) policyId: string, @Query() query: PolicyVersionQueryDto): Promise<SlaPolicyDto> {
    return this.slaService.getPolicy(policyId, query.version);
  }

  /** Every version of a policy, newest first. */
  @ApiErrors(400, 404)
  @Get('policies/:policy_id/versions')
  async listVersions(@Param('policy_id', ParseUUIDPipe) policyId: string): Promise<SlaPolicyListDto> {
    return { policies: await this.slaService.listVersions(policyId) };
  }

  /** Change a policy: its next version. The earlier ones stay as they were. */
  @ApiErrors(400, 404, 409)
  @Put('policies/:policy_id')
  updatePolicy(@CurrentUser() admin: AuthUser, @Param('policy_id', ParseUUIDPipe) policyId: string, @Body() dto: SavePolicyDto): Promise<SlaPolicyDto> {
    return this.slaService.updatePolicy(policyId, dto, admin.id);
  }

  /**
   * What if: replay the tickets filed in the last `?days=` days (default 30) under this policy, each from its
   * own audit trail, and count how many would have met or breached each target — by metric and by priority.
   * Nothing is written (a POST because it is a computation to run, not a resource to read). 409 when the
   * policy's targets do not fit in its calendar (saved before that was checked).
   */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.OK)
  @Post('policies/:policy_id/simulate')
  simulate(@Param('policy_id', ParseUUIDPipe) policyId: string, @Query() dto: SimulatePolicyDto): Promise<SlaSimulationDto> {
    return this.slaService.simulate(policyId, dto.days);
  }

  /** Retire a policy that is not the default (its versions stay on record). */
  @ApiErrors(400, 404, 409)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete('policies/:policy_id')
  retirePolicy(@Param('policy_id', ParseUUIDPipe) policyId: string): Promise<void> {
    return this.slaService.retirePolicy(policyId);
  }
}
