import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

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

/** A page by offset, or — past MAX_OFFSET, or for pages that stay put while rows are added — by keyset cursor. */
export class CursorPageQueryDto extends PaginationQueryDto {
  /** How many items to skip (at most 10,000; page further with `cursor`). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  @Max(MAX_OFFSET, { message: `Offset can be at most ${MAX_OFFSET}; page further with cursor (the next_cursor of the previous page)` })
  offset: number = 0;

  /** `next_cursor` of the previous page (use instead of offset). */
  @IsOptional() @IsString() @Matches(/^[\w-]{1,200}$/, { message: 'cursor is not valid' })
  cursor?: string;
}
