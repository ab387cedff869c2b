import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with the `Retry-After` header (seconds) that the error filter sets from it. */
export class TooManyRequestsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
