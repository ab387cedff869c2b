import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class StreamQueryDto {
  /** The access token, for clients that cannot send an Authorization header (browser EventSource). */
  @IsOptional() @IsString()
  access_token?: string;

  /** Resume after this event id (the same as the Last-Event-ID header). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  last_event_id?: number;
}
