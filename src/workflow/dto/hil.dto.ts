import { IsBoolean, IsHexadecimal, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { textMessage } from '../../common/human-messages';

const ANSWER = textMessage({ missing: 'Write your answer', tooLong: 'The answer can be at most 5,000 characters', notText: 'The answer must be text' });
const COMMENTS = textMessage({ missing: 'The comments must be text', tooLong: 'The comments can be at most 5,000 characters' });
const APPROVER_ID = textMessage({ missing: 'The approver_id must be text', tooLong: 'The approver_id can be at most 64 characters' });
const PLAN_HASH = { message: 'plan_hash must be the 64-character plan_hash of the plan you read (from the approval or the workflow)' };
const QUESTION = textMessage({ missing: 'Write your question for the requester', tooLong: 'The question can be at most 2,000 characters', notText: 'The question must be text' });

/** The Local IT Support API's human-in-the-loop body: an answer for `waiting_for_user`, an approval for `waiting_for_approval`. */
export class HilResponseDto {
  /** The requester's answer to the workflow's question (or an approver's short note). @example "Approved with conditions" */
  @IsOptional() @Trim() @IsString(ANSWER) @Length(1, 5000, ANSWER)
  answer?: string;

  /** For `waiting_for_approval`: true approves, false denies. Support and admin only, never on their own request. */
  @IsOptional() @IsBoolean({ message: 'Approval must be true (approve) or false (deny)' })
  approval?: boolean;

  /**
   * What the approver says to the requester; required to deny (`approval: false`): the requester reads why.
   * @example "Access granted for 30 days"
   */
  @IsOptional() @Trim() @IsString(COMMENTS) @MaxLength(5000, COMMENTS)
  comments?: string;

  /** Optional; if sent it must be your own employee id (or user id): the approver recorded is always the signed-in user. @example "EMP042" */
  @IsOptional() @Trim() @IsString(APPROVER_ID) @MaxLength(64, APPROVER_ID)
  approver_id?: string;

  /**
   * For an approval: the `plan_hash` of the plan you read (GET /api/v1/approvals). If the plan has changed
   * since, the approval is refused with 409 and a new request for the current plan is open.
   */
  // Only a plan_hash left out skips the check: null is refused, never read as "no plan read".
  @ValidateIf((_, value) => value !== undefined) @IsHexadecimal(PLAN_HASH) @Length(64, 64, PLAN_HASH)
  plan_hash?: string;
}

/** What support asks the requester on a ticket people are working on (POST /workflow/{ticket_id}/ask). */
export class AskRequesterDto {
  /** Shown to the requester in the ticket's conversation; their answer through POST /hil resumes the assistant. @example "Which laptop model do you have?" */
  @Trim() @IsString(QUESTION) @Length(1, 2000, QUESTION)
  question: string;
}
