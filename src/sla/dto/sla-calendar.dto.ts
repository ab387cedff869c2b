import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Trim } from '../../common/trim.decorator';
import { PresentOrDefault } from './present-or-default.decorator';

export class WorkingIntervalDto {
  /** Local time, `HH:MM`. @example "09:00" */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be a time HH:MM from 00:00 to 23:59' })
  start: string;

  /** Local time, `HH:MM` (up to `24:00`), after `start`. @example "17:30" */
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be a time HH:MM from 00:01 to 24:00' })
  end: string;
}

/** Working intervals per weekday (a split day has several); a day left out has no working time. */
export class WeeklyHoursDto {
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  mon?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  tue?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  wed?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  thu?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  fri?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  sat?: WorkingIntervalDto[];
  @PresentOrDefault() @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => WorkingIntervalDto)
  sun?: WorkingIntervalDto[];
}

export class SaveCalendarDto {
  /** @example "Berlin office" */
  @Trim() @IsString() @Length(1, 100)
  name: string;

  /** An IANA time zone; working hours and holidays are local to it. @example "Europe/Berlin" */
  @Trim() @IsString() @Length(1, 64)
  time_zone: string;

  @IsObject() @ValidateNested() @Type(() => WeeklyHoursDto)
  working_hours: WeeklyHoursDto;

  /** Local dates with no working time, `YYYY-MM-DD`. @example ["2026-12-25", "2026-12-26"] */
  @PresentOrDefault() @IsArray() @ArrayMaxSize(1000) @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each holiday must be a date YYYY-MM-DD' })
  holidays: string[] = [];
}

export class SlaCalendarDto {
  calendar_id: string;
  name: string;
  time_zone: string;
  working_hours: WeeklyHoursDto;
  holidays: string[];
  created_at: string;
  updated_at: string;
}

export class SlaCalendarListDto {
  calendars: SlaCalendarDto[];
}
