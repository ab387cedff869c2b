// A command that refuses says why as a domain error: a stable `code` its callers (and API clients) can
// branch on, the HTTP status it maps to, and a message for people. Callers catch the class, never an
// HTTP exception; HttpErrorFilter answers it with `code` in the error body.
import { HttpStatus } from '@nestjs/common';

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly status: HttpStatus = HttpStatus.CONFLICT;
}
