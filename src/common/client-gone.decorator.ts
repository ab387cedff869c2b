import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';

/**
 * An AbortSignal that aborts when the client goes away before the response is sent, so that a long wait
 * on its behalf ends at once. (The response's `close`, not the request's: the latter fires once the body is read.)
 */
export const ClientGone = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal => clientGone(context.switchToHttp().getResponse<Response>()));

/** The signal of @ClientGone(), for code that holds the response itself (an interceptor). */
export function clientGone(response: Response): AbortSignal {
  const controller = new AbortController();
  // Asked for late (after a transaction): the client may be gone already.
  if (response.closed && !response.writableFinished) controller.abort();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
