import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Role } from '../users/role.enum';

/** The signed-in user as every request sees it: loaded from the database on each request. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
  employeeId: string;
  role: Role;
  /** The sign-in session (refresh-token family) the access token belongs to. */
  sessionId: string;
  /** When the access token expires (an open event stream ends then). */
  tokenExpiresAt?: Date;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
