import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../users/role.enum';
import { ApprovalListDto, ApprovalsQueryDto, CreateDelegationDto, DelegationDto, DelegationListDto } from './dto/approval.dto';
import { ApprovalsService } from './approvals.service';

/** Approvals waiting for a decision (decide with POST /hil/{ticket_id}), and delegations of them (support, admin). */
@ApiTags('approvals')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(401, 403)
@Roles(Role.Support, Role.Admin)
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvalsService: ApprovalsService) {}

  /** What waits for a decision, oldest first, with the time left before it expires; `mine=true`: what waits for you. */
  @ApiErrors(400)
  @Get()
  list(@CurrentUser() viewer: AuthUser, @Query() query: ApprovalsQueryDto): Promise<ApprovalListDto> {
    return this.approvalsService.list(viewer, query);
  }

  /** Your delegations that have not ended: those you gave and those you received. */
  @Get('delegations')
  listDelegations(@CurrentUser() user: AuthUser): Promise<DelegationListDto> {
    return this.approvalsService.listDelegations(user);
  }

  /**
   * Hand your approvals to another support user for a period (starting now or later): they appear in their
   * `mine=true` list, and reminders name them. 409 beyond 10 delegations not yet ended, or when it would
   * overlap one from that user back to you. A delegation ends early when its delegate loses the support role.
   */
  @ApiErrors(400, 409)
  @Post('delegations')
  delegate(@CurrentUser() user: AuthUser, @Body() dto: CreateDelegationDto): Promise<DelegationDto> {
    return this.approvalsService.delegate(user, dto);
  }

  /** End a delegation (who gave it, or an admin). */
  @ApiErrors(400, 404)
  @HttpCode(HttpStatus.NO_CONTENT)
  @Delete('delegations/:delegation_id')
  revoke(@CurrentUser() user: AuthUser, @Param('delegation_id', ParseUUIDPipe) id: string): Promise<void> {
    return this.approvalsService.revokeDelegation(user, id);
  }
}
