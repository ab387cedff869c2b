import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { CreateTicketDto } from '../../tickets/dto/create-ticket.dto';

/** The Local IT Support API's request body. The requester is the signed-in user; `employee_id`, if sent, must be theirs. */
export class CreateRequestDto extends CreateTicketDto {
  /** Your own employee id (optional; taken from your account). @example "EMP001" */
  @IsOptional() @Trim() @IsString() @MaxLength(64)
  employee_id?: string;
}

/** `?wait=true`: answer only once the workflow has paused for a person or ended (bounded by WORKFLOW_TIMEOUT). */
export class WaitQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean({ message: 'wait must be true or false' })
  wait?: boolean;
}
