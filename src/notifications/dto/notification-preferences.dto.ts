import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, ValidateNested } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { NotificationKind } from '../notification-kinds';

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NotificationKind })
  kind: NotificationKind;
  /** What it covers, in words. */
  description: string;
  /** Shown in your notification list. Off: none of this kind is created for you (nothing is kept to show later). */
  in_app: boolean;
}

export class NotificationPreferencesDto {
  /** Every kind that can reach you, with your choice (on unless you switched it off). */
  preferences: NotificationPreferenceDto[];
}

export class PreferenceChangeDto {
  @ApiProperty({ enum: NotificationKind })
  @IsEnum(NotificationKind, { message: `kind must be one of: ${Object.values(NotificationKind).join(', ')}` })
  kind: NotificationKind;

  @IsBoolean()
  in_app: boolean;
}

export class UpdateNotificationPreferencesDto {
  /** The kinds to change; those not listed keep their setting. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(Object.values(NotificationKind).length * 2)
  @ValidateNested({ each: true }) @Type(() => PreferenceChangeDto)
  preferences: PreferenceChangeDto[];
}
