import { Injectable } from '@nestjs/common';
import type { IdempotentFollowUp } from '../idempotency/idempotent.decorator';
import { WaitQueryDto } from './dto/create-request.dto';
import { mapWorkflowResponse, WorkflowResponseDto } from './dto/workflow-response.dto';
import { WorkflowService } from './workflow.service';

/**
 * `?wait=true` under an Idempotency-Key: the key stores the answer as it stood at the commit (a wait cannot
 * happen inside the transaction: the run only starts once it commits). The wait follows here — on the first
 * call and on a retry alike, so a retry that waits gets the ticket's state once settled, never a second ticket.
 */
@Injectable()
export class SettledResponse implements IdempotentFollowUp {
  constructor(private readonly workflowService: WorkflowService) {}

  async afterCommit(answer: WorkflowResponseDto, query: WaitQueryDto | undefined, clientGone: AbortSignal): Promise<WorkflowResponseDto> {
    if (!query?.wait) return answer;
    const ticket = await this.workflowService.settledTicket(answer.ticket_id, clientGone);
    return ticket ? mapWorkflowResponse(ticket) : answer;
  }
}
