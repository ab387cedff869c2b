import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEnum, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { TicketStatus } from '../../tickets/ticket.enums';
import { FIRST_RESPONSE_KINDS, FirstResponseKind } from '../sla-metrics';
import { ApprovalSettingsDto, defaultApprovalSettings } from './approval-settings.dto';
import { IsIsoDuration } from './iso-duration.validator';
import { PresentOrDefault } from './present-or-default.decorator';

export class MetricTargetsDto {
  /** ISO 8601 duration of working time until the first response. @example "PT4H" */
  @IsIsoDuration()
  first_response: string;

  /** ISO 8601 duration of working time until resolution (a day counts 24 h). @example "P2D" */
  @IsIsoDuration()
  resolution: string;
}

export class PriorityTargetsDto {
  @IsObject() @ValidateNested() @Type(() => MetricTargetsDto)
  critical: MetricTargetsDto;
  @IsObject() @ValidateNested() @Type(() => MetricTargetsDto)
  high: MetricTargetsDto;
  @IsObject() @ValidateNested() @Type(() => MetricTargetsDto)
  medium: MetricTargetsDto;
  @IsObject() @ValidateNested() @Type(() => MetricTargetsDto)
  low: MetricTargetsDto;
}

export class SavePolicyDto {
  /** @example "Standard" */
  @Trim() @IsString() @Length(1, 100)
  name: string;

  /** The calendar whose working time the targets count; null or absent: around the clock. */
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID()
  calendar_id?: string | null;

  @IsObject() @ValidateNested() @Type(() => PriorityTargetsDto)
  targets: PriorityTargetsDto;

  /** Statuses in which the clocks stand still (a person outside support is awaited). */
  @PresentOrDefault() @IsArray() @ArrayUnique() @IsEnum(TicketStatus, { each: true })
  pause_statuses: TicketStatus[] = [TicketStatus.WaitingForUser, TicketStatus.WaitingForApproval];

  /** Statuses that stop the clocks: the metric is met then, unless it was already breached. */
  @PresentOrDefault() @IsArray() @ArrayUnique() @IsEnum(TicketStatus, { each: true })
  stop_statuses: TicketStatus[] = [TicketStatus.Resolved, TicketStatus.Denied];

  /** Fractions of a target at which a warning fires, ascending. @example [0.5, 0.8] */
  @PresentOrDefault() @IsArray() @ArrayMaxSize(5) @ArrayUnique() @IsNumber({}, { each: true }) @Min(0.01, { each: true }) @Max(0.99, { each: true })
  warning_thresholds: number[] = [0.5, 0.8];

  /** What counts as the first response (see the README's "SLA and approvals"). */
  @PresentOrDefault() @IsArray() @ArrayUnique() @IsIn(FIRST_RESPONSE_KINDS, { each: true })
  first_response: FirstResponseKind[] = ['staff_comment', 'staff_decision', 'staff_question'];

  /** How approvals wait, per request type: due time, reminders, what an expiry does (see "SLA and approvals"). */
  @PresentOrDefault() @IsObject() @ValidateNested() @Type(() => ApprovalSettingsDto)
  approvals: ApprovalSettingsDto = defaultApprovalSettings();

  /** Make this the policy every ticket is measured by. */
  @IsOptional() @IsBoolean()
  is_default?: boolean;
}

export class SlaPolicyDto {
  policy_id: string;
  version: number;
  name: string;
  calendar_id: string | null;
  targets: PriorityTargetsDto;
  pause_statuses: TicketStatus[];
  stop_statuses: TicketStatus[];
  warning_thresholds: number[];
  first_response: FirstResponseKind[];
  approvals: ApprovalSettingsDto;
  is_default: boolean;
  created_at: string;
}

export class SlaPolicyListDto {
  policies: SlaPolicyDto[];
}

export class PolicyVersionQueryDto {
  /** A version other than the current one. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  version?: number;
}
