import { Injectable, UnauthorizedException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../common/uuid';
import { AppConfig } from '../config/app-config';
import { UserDto } from '../users/dto/user.dto';
import { Role } from '../users/role.enum';
import { UsersService } from '../users/users.service';
import { AuthRepository } from './auth.repository';
import { AuthUser } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenDto } from './dto/token.dto';

/** What an access token carries; the user's role is not in it, it is read from the database per request. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  typ: 'access';
  /** Seconds since the epoch, set by the signer. */
  exp?: number;
}

const INVALID_CREDENTIALS = 'Incorrect email or password';
const INVALID_REFRESH = 'Invalid or expired refresh token';

@Injectable()
export class AuthService {
  constructor(
    private readonly usersService: UsersService,
    private readonly authRepository: AuthRepository,
    private readonly jwtService: JwtService,
    private readonly config: AppConfig,
  ) {}

  register(dto: RegisterDto): Promise<UserDto> {
    // Self-registration always yields a plain user; only an admin grants support or admin.
    return this.usersService.createAccount({
      email: dto.email,
      password: dto.password,
      fullName: dto.full_name,
      employeeId: dto.employee_id,
      role: Role.User,
    });
  }

  async login(dto: LoginDto): Promise<TokenDto> {
    const email = dto.email ?? dto.username ?? '';
    const user = await this.usersService.verifyCredentials(email, dto.password);
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return this.issueTokens(user.id, randomUUID());
  }

  async refresh(presented: string): Promise<TokenDto> {
    const [id, secret] = presented.split('.');
    const token = id && secret && isUuid(id) ? await this.authRepository.findRefreshToken(id) : null;
    if (!token || !hashesEqual(token.tokenHash, hashSecret(secret)) || token.revokedAt) {
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (token.usedAt) {
      // A used token shown again means two parties hold it: end that whole sign-in session.
      await this.revokeSession(token.userId, token.familyId);
      throw new UnauthorizedException('Refresh token was already used; the session has been revoked, sign in again');
    }
    if (token.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException(INVALID_REFRESH);
    const user = await this.usersService.findActive(token.userId);
    if (!user) throw new UnauthorizedException(INVALID_REFRESH);
    const issued = await this.rotate(token.id, user.id, token.familyId);
    if (!issued) {
      // Another request used it a moment ago: the same reuse as above, seen from the other side.
      await this.revokeSession(token.userId, token.familyId);
      throw new UnauthorizedException('Refresh token was already used; the session has been revoked, sign in again');
    }
    return issued;
  }

  async logout(user: AuthUser): Promise<void> {
    await this.revokeSession(user.id, user.sessionId);
  }

  /** Resolves a verified access token to its user, or null when the user or the session is gone. */
  async resolveAccessToken(claims: AccessTokenClaims): Promise<AuthUser | null> {
    if (claims.typ !== 'access' || !isUuid(claims.sub) || !isUuid(claims.sid)) return null;
    const user = await this.usersService.findActive(claims.sub);
    if (!user || !(await this.authRepository.isSessionActive(claims.sid))) return null;
    return {
      id: user.id,
      email: user.email,
      fullName: user.full_name,
      employeeId: user.employee_id,
      role: user.role,
      sessionId: claims.sid,
      tokenExpiresAt: claims.exp === undefined ? undefined : new Date(claims.exp * 1000),
    };
  }

  /** Of these sign-in sessions, the ones still alive (an active user, an unrevoked family), with the user's role now. */
  liveSessions(sessionIds: string[]): Promise<Map<string, Role>> {
    return this.authRepository.liveSessions(sessionIds);
  }

  /** Ends a sign-in session: its tokens stop working, and its open event streams end. */
  private async revokeSession(userId: string, sessionId: string): Promise<void> {
    await this.authRepository.revokeFamily(sessionId);
    this.usersService.signalAccessChanged({ userId, sessionId, reason: 'session_ended' });
  }

  /** Uses the refresh token and issues its successor together; null when another request used it first. */
  @Transactional()
  private async rotate(tokenId: string, userId: string, familyId: string): Promise<TokenDto | null> {
    return (await this.authRepository.markUsed(tokenId)) ? this.issueTokens(userId, familyId) : null;
  }

  private async issueTokens(userId: string, familyId: string): Promise<TokenDto> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const ttlDays = this.config.jwt.refreshTokenTtlDays;
    await this.authRepository.insertRefreshToken({
      id,
      userId,
      familyId,
      tokenHash: hashSecret(secret),
      expiresAt: new Date(Date.now() + ttlDays * 24 * 3600 * 1000),
    });
    const claims: AccessTokenClaims = { sub: userId, sid: familyId, typ: 'access' };
    return {
      access_token: await this.jwtService.signAsync(claims),
      token_type: 'bearer',
      expires_in: this.config.jwt.accessTokenTtlSeconds,
      refresh_token: `${id}.${secret}`,
    };
  }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function hashesEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
