import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** Every body and query is validated: unknown fields are refused, and each message names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new BadRequestException(flattenMessages(errors)),
  });
}

function flattenMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator words a nested field's message with its own name only; give the full path.
      parent ? message.replace(error.property, path) : message,
    );
    return [...own, ...flattenMessages(error.children ?? [], path)];
  });
}
