// One error body for every failure: Nest's { statusCode, error, message } plus `detail`, the single string
// that the Local IT Support API's clients read. Unexpected errors become a 500 without internals (they are logged);
// a database out of reach becomes a 503 with Retry-After.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { DomainError } from './domain-error';
import { TooManyRequestsException } from './too-many-requests.exception';

/** What a client is told to wait when the database is out of reach (s). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  [context: string]: unknown;
  statusCode: number;
  error: string;
  message: string | string[];
  detail: string;
}

export function errorBody(statusCode: number, message: string | string[], error?: string): ErrorBody {
  return {
    statusCode,
    error: error ?? STATUS_CODES[statusCode] ?? 'Error',
    message,
    detail: Array.isArray(message) ? message.join('; ') : message,
  };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof TooManyRequestsException) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && !(exception instanceof HttpException)) response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) return { ...errorBody(exception.status, exception.message), code: exception.code };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return errorBody(status, payload);
      // Extra fields an exception carries (e.g. the health checks, the id of a duplicate) are kept.
      const { message, error, ...context } = payload as { message?: string | string[]; error?: string };
      delete (context as { statusCode?: number }).statusCode;
      return { ...context, ...errorBody(status, message ?? exception.message, typeof error === 'string' ? error : undefined) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`The database is out of reach: ${exception instanceof Error ? exception.message : String(exception)}`);
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The database is not reachable at the moment; try again in a few seconds');
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
