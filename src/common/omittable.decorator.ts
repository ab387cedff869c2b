import { ValidateIf } from 'class-validator';

/** Like @IsOptional(), but only a missing field is skipped: `null` is validated, and refused, like any other value. */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
