import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { IDEMPOTENT, IdempotencyInterceptor, IdempotentOptions } from './idempotency.interceptor';

export type { IdempotentFollowUp, IdempotentOptions } from './idempotency.interceptor';

/**
 * Takes an optional `Idempotency-Key`: the same key from the same user within 24 h gets the first answer
 * (status and body) without the work being done again; 422 with another request, 409 while the first is in flight.
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key (1–255 printable ASCII characters, e.g. a UUID) from the same user within 24 h ' +
        'answers with the first status and body, marked `Idempotent-Replayed: true`, without doing the work again. ' +
        'The same key with another method, path or body: 422; while the first call is still in flight: 409. ' +
        'A call that failed stored nothing, so its retry runs anew.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiErrors(400, 409, 422),
  );
