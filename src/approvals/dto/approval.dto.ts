import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { BooleanQuery } from '../../common/boolean-query.decorator';
import { IsInstant } from '../../common/instant';
import { EXPIRY_ACTIONS, type ExpiryAction } from '../../sla/dto/approval-settings.dto';
import type { DelegationRow, WaitingApprovalRow } from '../approvals.repository';

export class ApprovalsQueryDto {
  /** Only what waits for you: tickets assigned to you or to someone who delegated to you, and the shared queue (unassigned) — never your own requests. */
  @IsOptional() @BooleanQuery('mine')
  mine: boolean = false;

  /** Only the request of this ticket (what a ticket's page shows). */
  @IsOptional() @IsUUID()
  ticket_id?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit: number = 50;
}

export class ApprovalPlanDto {
  summary: string;
  steps: string[];
  request_type: string;
  priority: string;
  business_justification: string | null;
}

export class ApprovalDto {
  approval_id: string;
  ticket_id: string;
  title: string;
  request_type: string;
  priority: string;
  requester_id: string;
  /** Whose approval it is: the ticket's assignee, or null for the shared queue. */
  assignee_id: string | null;
  /** Set when it is yours because this approver delegated to you. */
  delegated_by: string | null;
  /** The plan to approve; send its `plan_hash` with POST /hil so that a plan changed meanwhile is not approved. */
  plan: ApprovalPlanDto;
  plan_hash: string;
  requested_at: string;
  /** null: this request type's approvals never expire. */
  due_at: string | null;
  /** Seconds until `due_at` (negative once overdue, until the expiry is applied); null without a due time. */
  time_left_seconds: number | null;
  reminders_sent: number;
  next_reminder_at: string | null;
  @ApiProperty({ enum: EXPIRY_ACTIONS })
  on_expiry: ExpiryAction;
}

export class ApprovalListDto {
  approvals: ApprovalDto[];
  count: number;
}

export class CreateDelegationDto {
  /** The support (or admin) user who decides your approvals meanwhile. */
  @IsUUID()
  delegate_id: string;

  /** From when (ISO 8601); now if absent. @example "2026-12-20T00:00:00Z" */
  @IsOptional() @IsInstant()
  starts_at?: Date;

  /** Until when (ISO 8601), at most a year after the start. @example "2027-01-04T00:00:00Z" */
  @IsInstant()
  ends_at: Date;
}

export class DelegationDto {
  delegation_id: string;
  delegator_id: string;
  delegate_id: string;
  starts_at: string;
  ends_at: string;
  created_at: string;
}

export class DelegationListDto {
  delegations: DelegationDto[];
}

const iso = (at: Date | string | null): string | null => (at === null ? null : new Date(at).toISOString());

export function toApprovalDto(row: WaitingApprovalRow, now: Date): ApprovalDto {
  const nextReminder = row.reminder_times[row.reminders_sent];
  return {
    approval_id: row.id,
    ticket_id: row.ticket_id,
    title: row.title,
    request_type: row.request_type,
    priority: row.priority,
    requester_id: row.requester_id,
    assignee_id: row.assignee_id,
    delegated_by: row.delegated_by,
    plan: row.plan,
    plan_hash: row.plan_hash,
    requested_at: iso(row.requested_at)!,
    due_at: iso(row.due_at),
    time_left_seconds: row.due_at === null ? null : Math.round((new Date(row.due_at).getTime() - now.getTime()) / 1000),
    reminders_sent: row.reminders_sent,
    next_reminder_at: nextReminder ? iso(nextReminder) : null,
    on_expiry: row.on_expiry,
  };
}

export function toDelegationDto(row: DelegationRow): DelegationDto {
  return {
    delegation_id: row.id,
    delegator_id: row.delegator_id,
    delegate_id: row.delegate_id,
    starts_at: iso(row.starts_at)!,
    ends_at: iso(row.ends_at)!,
    created_at: iso(row.created_at)!,
  };
}
