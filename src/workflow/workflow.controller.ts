import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { ApiErrors } from '../common/api-errors.decorator';
import { CreateRequestDto, WaitQueryDto } from './dto/create-request.dto';
import { HilResponseDto } from './dto/hil.dto';
import { WorkflowResponseDto } from './dto/workflow-response.dto';
import { WorkflowStateDto } from './dto/workflow-state.dto';
import { WorkflowService } from './workflow.service';

@ApiTags('workflow')
@ApiBearerAuth()
@ApiOAuth2([])
@ApiErrors(400, 401)
@Controller()
export class WorkflowController {
  constructor(private readonly workflowService: WorkflowService) {}

  /** Files an IT request for the signed-in user and starts its workflow (seed 000). Answers at once unless `?wait=true`. */
  @Post('request')
  createRequest(@CurrentUser() user: AuthUser, @Body() dto: CreateRequestDto, @Query() query: WaitQueryDto): Promise<WorkflowResponseDto> {
    return this.workflowService.createRequest(user, dto, query.wait ?? false);
  }

  /**
   * Answers the workflow's question (the requester or support, in `waiting_for_user`) or approves/denies
   * (support or admin, never on their own request, in `waiting_for_approval`), and resumes the workflow.
   */
  @ApiErrors(403, 404, 409)
  @Post('hil/:ticket_id')
  @HttpCode(HttpStatus.OK)
  respond(
    @CurrentUser() user: AuthUser,
    @Param('ticket_id', ParseUUIDPipe) ticketId: string,
    @Body() dto: HilResponseDto,
    @Query() query: WaitQueryDto,
  ): Promise<WorkflowResponseDto> {
    return this.workflowService.respond(user, ticketId, dto, query.wait ?? false);
  }

  /** The ticket's workflow: where it is, what it waits for, the rule that decided, and every human response. */
  @ApiErrors(404)
  @Get('workflow/:ticket_id')
  getState(@CurrentUser() user: AuthUser, @Param('ticket_id', ParseUUIDPipe) ticketId: string): Promise<WorkflowStateDto> {
    return this.workflowService.getState(user, ticketId);
  }
}
