import { ValidateIf } from 'class-validator';

/**
 * Optional with a default: leaving the field out takes the default, but an explicit null is validated (and
 * refused) like any other wrong value — unlike @IsOptional, which would let null through to the service.
 */
export const PresentOrDefault = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
