import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { IdempotentFollowUp } from '../idempotency/idempotent.decorator';
import { TicketsService } from '../tickets/tickets.service';
import { WaitQueryDto } from './dto/create-request.dto';
import { mapWorkflowResponse, WorkflowResponseDto } from './dto/workflow-response.dto';
import { RunWaiter } from './run-waiter';

/**
 * `?wait=true` under an Idempotency-Key: the key stores the answer as it stood at the commit (a wait cannot
 * happen inside the transaction: the run only starts once it commits). The wait follows here — on the first
 * call and on a retry alike, so a retry that waits gets the ticket's state once settled, never a second ticket.
 */
@Injectable()
export class SettledResponse implements IdempotentFollowUp {
  constructor(
    private readonly waiter: RunWaiter,
    private readonly ticketsService: TicketsService,
    private readonly config: AppConfig,
  ) {}

  async afterCommit(answer: WorkflowResponseDto, query: WaitQueryDto | undefined, clientGone: AbortSignal): Promise<WorkflowResponseDto> {
    if (!query?.wait) return answer;
    await this.waiter.untilSettled(answer.ticket_id, this.config.workflow.timeoutMs, clientGone);
    const ticket = await this.ticketsService.findById(answer.ticket_id);
    return ticket ? mapWorkflowResponse(ticket) : answer;
  }
}
