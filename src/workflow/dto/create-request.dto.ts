import { IsOptional, IsString, MaxLength } from 'class-validator';
import { BooleanQuery } from '../../common/boolean-query.decorator';
import { Trim } from '../../common/trim.decorator';
import { CreateTicketDto } from '../../tickets/dto/create-ticket.dto';
import { textMessage } from '../../common/human-messages';

const EMPLOYEE_ID = textMessage({ missing: 'The employee_id must be text', tooLong: 'The employee_id can be at most 64 characters' });

/** The Local IT Support API's request body. The requester is the signed-in user; `employee_id`, if sent, must be theirs. */
export class CreateRequestDto extends CreateTicketDto {
  /** Your own employee id (optional; taken from your account). @example "EMP001" */
  @IsOptional() @Trim() @IsString(EMPLOYEE_ID) @MaxLength(64, EMPLOYEE_ID)
  employee_id?: string;
}

/** `?wait=true`: answer only once the workflow has paused for a person or ended (bounded by WORKFLOW_TIMEOUT). */
export class WaitQueryDto {
  @IsOptional() @BooleanQuery('wait')
  wait?: boolean;
}
