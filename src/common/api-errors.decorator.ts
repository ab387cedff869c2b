import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorDto } from './error.dto';

const MEANINGS: Record<number, string> = {
  400: 'Invalid input: `message` lists each problem, and `errors` gives each one with its field',
  401: 'Missing, invalid or expired access token',
  403: 'Your role may not do this',
  404: 'Not found (or not visible to you)',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  429: 'Too many requests (per address for sign-in, per user elsewhere); retry after `Retry-After` seconds',
};

/** Documents the error responses of a route, each with the common error body. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, type: ErrorDto, description: MEANINGS[status] ?? STATUS_CODES[status] }),
    ),
  );
}
