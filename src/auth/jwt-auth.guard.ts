import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { IS_PUBLIC_KEY } from './public.decorator';
import { QUERY_TOKEN_KEY } from './query-token.decorator';

/** Global guard: a valid bearer token on every route not marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_KEY, targets)) useQueryToken(context.switchToHttp().getRequest<Request>());
    return super.canActivate(context);
  }

  handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    // An error thrown while resolving a valid token (the database out of reach) is not the client's fault:
    // it goes on as it is (503), never as a 401 that would sign the user out.
    if (error) throw error;
    if (!user) {
      const reason = info instanceof Error && info.name === 'TokenExpiredError' ? 'Access token has expired' : 'Missing or invalid access token';
      throw new UnauthorizedException(reason);
    }
    return user;
  }
}

/**
 * Lets the bearer-token check see `?access_token=` when no Authorization header was sent. Read from the raw
 * URL: only that exact, unencoded name, once. The parsed query would also take `access%5Ftoken`, which
 * nothing that matches names (a log's redaction, a proxy's) can be expected to know is the same.
 */
function useQueryToken(request: Request): void {
  const url = request.originalUrl.split('#')[0];
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const given = query.split('&').filter((parameter) => parameter.startsWith(`${QUERY_TOKEN_NAME}=`));
  const token = given.length === 1 ? decodeOrEmpty(given[0].slice(QUERY_TOKEN_NAME.length + 1)) : '';
  if (!request.headers.authorization && token.length > 0) request.headers.authorization = `Bearer ${token}`;
}

const QUERY_TOKEN_NAME = 'access_token';

function decodeOrEmpty(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}
