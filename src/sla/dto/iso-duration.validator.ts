import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { parseIsoDuration } from '../iso-duration';

/** An ISO 8601 duration the SLA clock can count (`PT4H`, `P2D`, `PT5S`); the message says what is wrong. */
export function IsIsoDuration(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDuration',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problem(value) === null,
        defaultMessage: (args: ValidationArguments) =>
          typeof args.value === 'string' ? `${args.property} ${problem(args.value)}` : `${args.property} must be an ISO 8601 duration such as PT4H or P2D`,
      },
    });
}

function problem(value: string): string | null {
  try {
    parseIsoDuration(value);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
