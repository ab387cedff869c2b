import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { ClientGone } from '../common/client-gone.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { LimitPerUser } from '../limits/user-limit.guard';
import { Role } from '../users/role.enum';
import { CreateRequestDto, WaitQueryDto } from './dto/create-request.dto';
import { AskRequesterDto, HilResponseDto } from './dto/hil.dto';
import { WorkflowResponseDto } from './dto/workflow-response.dto';
import { WorkflowStateDto } from './dto/workflow-state.dto';
import { SettledResponse } from './settled-response';
import { WorkflowService } from './workflow.service';

@ApiTags('workflow')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(400, 401)
@Controller()
export class WorkflowController {
  constructor(private readonly workflowService: WorkflowService) {}

  /** Files an IT request for the signed-in user and starts its workflow (the Local IT Support API). Answers at once unless `?wait=true`. */
  @LimitPerUser('requests')
  @Idempotent({ followUp: SettledResponse })
  @Post('request')
  createRequest(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateRequestDto,
    @Query() query: WaitQueryDto,
    @ClientGone() clientGone: AbortSignal,
  ): Promise<WorkflowResponseDto> {
    return this.workflowService.createRequest(user, dto, query.wait ?? false, clientGone);
  }

  /**
   * Answers what the workflow waits for — a question to the requester (the requester or support answer), or
   * an approval (support or admin, never on their own request) — and resumes it. 409 when nothing waits.
   */
  @ApiErrors(403, 404, 409)
  @LimitPerUser('hil')
  @Idempotent({ followUp: SettledResponse })
  @Post('hil/:ticket_id')
  @HttpCode(HttpStatus.OK)
  respond(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Body() dto: HilResponseDto,
    @Query() query: WaitQueryDto,
    @ClientGone() clientGone: AbortSignal,
  ): Promise<WorkflowResponseDto> {
    return this.workflowService.respond(user, ticketId, dto, query.wait ?? false, clientGone);
  }

  /**
   * Support asks the requester a question on a ticket the workflow is not holding (escalated, or in progress
   * by hand): the ticket waits for the requester, the question joins its conversation, and the answer
   * through POST /hil sends the assistant back to the knowledge base with it. 409 while the workflow holds it.
   */
  @Roles(Role.Support, Role.Admin)
  @ApiErrors(403, 404, 409)
  @Post('workflow/:ticket_id/ask')
  @HttpCode(HttpStatus.OK)
  ask(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string, @Body() dto: AskRequesterDto): Promise<WorkflowResponseDto> {
    return this.workflowService.ask(user, ticketId, dto.question);
  }

  /**
   * Support lets the assistant try again on a ticket in `error` (it resumes from its last checkpoint, or
   * starts over) or `escalated` (it searches the knowledge base again). 409 while the workflow holds it.
   */
  @Roles(Role.Support, Role.Admin)
  @ApiErrors(403, 404, 409)
  @Post('workflow/:ticket_id/retry')
  @HttpCode(HttpStatus.OK)
  retry(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<WorkflowResponseDto> {
    return this.workflowService.retry(user, ticketId);
  }

  /** The ticket's workflow: where it is, what it waits for, the rule that decided, and every human response. */
  @ApiErrors(404)
  @Get('workflow/:ticket_id')
  getState(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<WorkflowStateDto> {
    return this.workflowService.getState(user, ticketId);
  }
}
