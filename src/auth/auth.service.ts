import { Injectable, OnApplicationBootstrap, UnauthorizedException } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { JwtService } from '@nestjs/jwt';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../common/uuid';
import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { UserDto } from '../users/dto/user.dto';
import { Role } from '../users/role.enum';
import { UsersService } from '../users/users.service';
import { AuthRepository } from './auth.repository';
import { AuthUser } from './auth-user';
import { RefreshToken } from './refresh-token.entity';
import { SignInThrottle } from './sign-in-throttle';
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
const PURGE_EVERY_MS = 60 * 60 * 1000;

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    private readonly usersService: UsersService,
    private readonly authRepository: AuthRepository,
    private readonly jwtService: JwtService,
    private readonly config: AppConfig,
    private readonly maintenance: MaintenanceJobs,
    private readonly signInThrottle: SignInThrottle,
  ) {}

  onApplicationBootstrap(): void {
    this.maintenance.schedule('refresh-token-purge', PURGE_EVERY_MS, () => this.purgeStaleTokens());
  }

  /** Deletes refresh tokens that can no longer be used (run hourly by one instance); how many. */
  purgeStaleTokens(): Promise<number> {
    return this.authRepository.deleteStale();
  }

  register(dto: RegisterDto): Promise<UserDto> {
    // Self-registration always yields a plain user; only an admin grants support or admin.
    return this.usersService.createAccount({
      email: dto.email,
      password: dto.password,
      fullName: dto.full_name,
      employeeId: dto.employee_id,
      department: dto.department ?? null,
      role: Role.User,
    });
  }

  async login(dto: LoginDto): Promise<TokenDto> {
    const email = dto.email ?? dto.username ?? '';
    const user = await this.signInThrottle.attempt(email, () => this.usersService.verifyCredentials(email, dto.password));
    if (!user) throw new UnauthorizedException(INVALID_CREDENTIALS);
    return this.issueTokens(user.id, randomUUID());
  }

  async refresh(presented: string): Promise<TokenDto> {
    const [id, secret] = presented.split('.');
    const token = id && secret && isUuid(id) ? await this.authRepository.findRefreshToken(id) : null;
    if (!token || !hashesEqual(token.tokenHash, hashSecret(secret)) || token.revokedAt) {
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (token.usedAt) return this.reissueOrRevoke(token, secret);
    if (token.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException(INVALID_REFRESH);
    const user = await this.usersService.findActive(token.userId);
    if (!user) throw new UnauthorizedException(INVALID_REFRESH);
    const issued = await this.rotate(token, secret);
    if (issued) return issued;
    // Another request used it a moment ago (its transaction has committed by now): the same as a second use.
    const used = await this.authRepository.findRefreshToken(token.id);
    return this.reissueOrRevoke(used ?? token, secret);
  }

  async logout(user: AuthUser): Promise<void> {
    await this.revokeSession(user.id, user.sessionId);
  }

  /** Resolves a verified access token to its user, or null when the user or the session is gone. */
  async resolveAccessToken(claims: AccessTokenClaims): Promise<AuthUser | null> {
    // The verifier checks `exp` only when there is one: a token without it would never age out.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || !isUuid(claims.sub) || !isUuid(claims.sid)) return null;
    // Every authenticated request comes through here: one query for the user and the session.
    const user = await this.authRepository.findSessionUser(claims.sub, claims.sid);
    if (!user) return null;
    return {
      id: user.id,
      email: user.email,
      fullName: user.full_name,
      employeeId: user.employee_id,
      role: user.role,
      sessionId: claims.sid,
      tokenExpiresAt: new Date(claims.exp * 1000),
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

  /**
   * A used token shown again. Within the grace window after its rotation (two tabs, a retried request)
   * it gets the same successor, while that is unused; otherwise two parties hold it: the whole sign-in
   * session ends.
   */
  private async reissueOrRevoke(token: RefreshToken, secret: string): Promise<TokenDto> {
    const graceMs = this.config.jwt.refreshReuseGraceSeconds * 1000;
    const recent = token.usedAt !== null && Date.now() - token.usedAt.getTime() <= graceMs;
    const successor = recent && token.replacedBy ? await this.authRepository.findRefreshToken(token.replacedBy) : null;
    const successorSecret = successor ? deriveSuccessorSecret(this.config.jwt.secret, successor.id, secret) : '';
    if (
      successor &&
      !successor.usedAt &&
      !successor.revokedAt &&
      successor.expiresAt.getTime() > Date.now() &&
      hashesEqual(successor.tokenHash, hashSecret(successorSecret)) &&
      (await this.usersService.findActive(token.userId))
    ) {
      return this.tokenPair(token.userId, token.familyId, `${successor.id}.${successorSecret}`);
    }
    await this.revokeSession(token.userId, token.familyId);
    throw new UnauthorizedException('Refresh token was already used; the session has been revoked, sign in again');
  }

  /**
   * Uses the refresh token and issues its successor together; null when another request used it first.
   * The successor's secret is derived from the used one, so that a reuse within the grace window can be
   * given the same successor without its secret ever being stored.
   */
  @Transactional()
  private async rotate(token: RefreshToken, secret: string): Promise<TokenDto | null> {
    const successorId = randomUUID();
    if (!(await this.authRepository.markUsed(token.id, successorId))) return null;
    return this.issueTokens(token.userId, token.familyId, { id: successorId, secret: deriveSuccessorSecret(this.config.jwt.secret, successorId, secret) });
  }

  private async issueTokens(userId: string, familyId: string, refresh = { id: randomUUID(), secret: randomBytes(32).toString('base64url') }): Promise<TokenDto> {
    const ttlDays = this.config.jwt.refreshTokenTtlDays;
    await this.authRepository.insertRefreshToken({
      id: refresh.id,
      userId,
      familyId,
      tokenHash: hashSecret(refresh.secret),
      expiresAt: new Date(Date.now() + ttlDays * 24 * 3600 * 1000),
    });
    return this.tokenPair(userId, familyId, `${refresh.id}.${refresh.secret}`);
  }

  private async tokenPair(userId: string, familyId: string, refreshToken: string): Promise<TokenDto> {
    const claims: AccessTokenClaims = { sub: userId, sid: familyId, typ: 'access' };
    return {
      access_token: await this.jwtService.signAsync(claims),
      token_type: 'bearer',
      expires_in: this.config.jwt.accessTokenTtlSeconds,
      refresh_token: refreshToken,
    };
  }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function deriveSuccessorSecret(key: string, successorId: string, usedSecret: string): string {
  return createHmac('sha256', key).update(`refresh:${successorId}:${usedSecret}`).digest('base64url');
}

function hashesEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
