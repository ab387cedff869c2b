import { IsBoolean, IsHexadecimal, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim.decorator';

/** The Local IT Support API's human-in-the-loop body: an answer for `waiting_for_user`, an approval for `waiting_for_approval`. */
export class HilResponseDto {
  /** The requester's answer to the workflow's question (or an approver's short note). @example "Approved with conditions" */
  @IsOptional() @Trim() @IsString() @Length(1, 5000)
  answer?: string;

  /** For `waiting_for_approval`: true approves, false denies. Support and admin only, never on their own request. */
  @IsOptional() @IsBoolean()
  approval?: boolean;

  /**
   * What the approver says to the requester; required to deny (`approval: false`): the requester reads why.
   * @example "Access granted for 30 days"
   */
  @IsOptional() @Trim() @IsString() @MaxLength(5000)
  comments?: string;

  /** Optional; if sent it must be your own employee id (or user id): the approver recorded is always the signed-in user. @example "EMP042" */
  @IsOptional() @Trim() @IsString() @MaxLength(64)
  approver_id?: string;

  /**
   * For an approval: the `plan_hash` of the plan you read (GET /api/v1/approvals). If the plan has changed
   * since, the approval is refused with 409 and a new request for the current plan is open.
   */
  // Only a plan_hash left out skips the check: null is refused, never read as "no plan read".
  @ValidateIf((_, value) => value !== undefined) @IsHexadecimal() @Length(64, 64)
  plan_hash?: string;
}

/** What support asks the requester on a ticket people are working on (POST /workflow/{ticket_id}/ask). */
export class AskRequesterDto {
  /** Shown to the requester in the ticket's conversation; their answer through POST /hil resumes the assistant. @example "Which laptop model do you have?" */
  @Trim() @IsString() @Length(1, 2000)
  question: string;
}
