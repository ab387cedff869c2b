import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from '../auth/auth-user';
import { ApiErrors } from '../common/api-errors.decorator';
import { LimitedAction, LimitsService } from './limits.service';

const LIMITED_ACTION = 'limitedAction';

/** Runs after authentication (route guards follow the global ones), so the user is known. */
@Injectable()
export class UserLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limitsService: LimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<LimitedAction>(LIMITED_ACTION, context.getHandler());
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (action && user) await this.limitsService.consume(user.id, action);
    return true;
  }
}

/** Counts each call against the user's allowance for `action` (429 with Retry-After beyond it). */
export const LimitPerUser = (action: LimitedAction) => applyDecorators(SetMetadata(LIMITED_ACTION, action), UseGuards(UserLimitGuard), ApiErrors(429));
