import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { IsIsoDuration } from './iso-duration.validator';
import { PresentOrDefault } from './present-or-default.decorator';

export const EXPIRY_ACTIONS = ['escalate', 'deny', 'approve'] as const;
export type ExpiryAction = (typeof EXPIRY_ACTIONS)[number];

/** How long an approval may wait, when to remind, and what happens when nobody decides in time. */
export class ApprovalRulesDto {
  /** Working time (the policy's calendar) an approval may wait; null: it never expires. @example "PT8H" */
  @ValidateIf((_, value) => value !== null) @IsIsoDuration()
  due: string | null;

  /** Working-time offsets from the request at which a reminder is announced (`approval_reminder`). @example ["PT4H"] */
  @PresentOrDefault() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsIsoDuration({ each: true })
  reminders: string[] = [];

  /** On expiry: `escalate` (to the support queue, reason recorded), `deny`, or `approve` — only where `low_risk` is set. */
  @PresentOrDefault() @IsIn(EXPIRY_ACTIONS)
  on_expiry: ExpiryAction = 'escalate';

  /** An admin marks the request type low-risk: only then may an expiry approve it. */
  @PresentOrDefault() @IsBoolean()
  low_risk: boolean = false;
}

/** Approval rules of the request types that differ from the default. */
export class RequestTypeApprovalsDto {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  software_access?: ApprovalRulesDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  account_access?: ApprovalRulesDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  password_reset?: ApprovalRulesDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  hardware?: ApprovalRulesDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  network?: ApprovalRulesDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  question?: ApprovalRulesDto;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  other?: ApprovalRulesDto;
}

export class ApprovalSettingsDto {
  @IsObject() @ValidateNested() @Type(() => ApprovalRulesDto)
  default: ApprovalRulesDto;

  @PresentOrDefault() @IsObject() @ValidateNested() @Type(() => RequestTypeApprovalsDto)
  request_types: RequestTypeApprovalsDto = new RequestTypeApprovalsDto();
}

/**
 * What a fresh install uses (and a policy saved without `approvals`): 8 working hours, a reminder at 4,
 * escalate. Instances of the DTO classes, since a default is validated like a value sent.
 */
export function defaultApprovalSettings(): ApprovalSettingsDto {
  return Object.assign(new ApprovalSettingsDto(), {
    default: Object.assign(new ApprovalRulesDto(), { due: 'PT8H', reminders: ['PT4H'], on_expiry: 'escalate', low_risk: false }),
    request_types: new RequestTypeApprovalsDto(),
  });
}

export const DEFAULT_APPROVAL_SETTINGS: ApprovalSettingsDto = defaultApprovalSettings();
