import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PaginationQueryDto {
  /** How many items to return (at most 100). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit: number = 20;

  /** How many items to skip. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset: number = 0;
}
