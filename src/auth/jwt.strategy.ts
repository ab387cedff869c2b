import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { AuthUser } from './auth-user';
import { AccessTokenClaims, AuthService } from './auth.service';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: AppConfig,
    private readonly authService: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject (typed as the Buffer passport-jwt declares): jsonwebtoken uses it as it is.
      secretOrKey: config.jwt.key as unknown as Buffer,
      // Pinned: a token signed with any other algorithm (`none`, or HS512 when we use HS256) is refused.
      algorithms: [config.jwt.algorithm],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser> {
    const user = await this.authService.resolveAccessToken(claims);
    if (!user) throw new UnauthorizedException('Access token is no longer valid; sign in again');
    return user;
  }
}
