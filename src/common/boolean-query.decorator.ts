import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';

/** A query-string flag: `true`/`1` and `false`/`0` become booleans; anything else fails with "<name> must be true or false". */
export const BooleanQuery = (name: string) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value)),
    IsBoolean({ message: `${name} must be true or false` }),
  );
