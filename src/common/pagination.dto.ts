import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The deepest an offset may page: beyond it the database would read and skip that many rows for every page. */
export const MAX_OFFSET = 10_000;

export class PaginationQueryDto {
  /** How many items to return (at most 100). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit: number = 20;

  /** How many items to skip (at most 10,000). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_OFFSET)
  offset: number = 0;
}
