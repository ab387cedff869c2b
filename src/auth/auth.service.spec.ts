import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomUUID } from 'node:crypto';
import { currentTransaction } from '../../test/support/unit-transactions';
import { TooManyRequestsException } from '../common/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { MaintenanceJobs } from '../database/maintenance-jobs';
import { UserDto } from '../users/dto/user.dto';
import { Role } from '../users/role.enum';
import { NewAccount, UsersService } from '../users/users.service';
import { AccessTokenClaims, AuthService } from './auth.service';
import { AuthUser } from './auth-user';
import { AuthRepository, NewRefreshToken } from './auth.repository';
import { RegisterDto } from './dto/register.dto';
import { RefreshToken } from './refresh-token.entity';
import { SignInThrottle } from './sign-in-throttle';

/** In-memory refresh tokens; like a database it hands out copies. It notes the transaction each write ran in. */
class FakeAuthRepository {
  readonly writes: Array<{ method: string; transaction: unknown }> = [];

  /** `activeUsers`: the users the database holds as active. */
  constructor(
    private readonly activeUsers: Map<string, UserDto>,
    readonly rows = new Map<string, RefreshToken>(),
  ) {}

  insertRefreshToken = jest.fn(async (token: NewRefreshToken & { id?: string }) => {
    this.noteWrite('insertRefreshToken');
    const row: RefreshToken = { id: randomUUID(), ...token, usedAt: null, replacedBy: null, revokedAt: null, createdAt: new Date() };
    this.rows.set(row.id, row);
    return { ...row };
  });
  findRefreshToken = jest.fn(async (id: string) => (this.rows.has(id) ? { ...this.rows.get(id)! } : null));
  markUsed = jest.fn(async (id: string, successorId: string) => {
    this.noteWrite('markUsed');
    const row = this.rows.get(id);
    if (!row || row.usedAt || row.revokedAt) return false;
    row.usedAt = new Date();
    row.replacedBy = successorId;
    return true;
  });
  revokeFamily = jest.fn(async (familyId: string) => {
    this.noteWrite('revokeFamily');
    for (const row of this.rows.values()) if (row.familyId === familyId) row.revokedAt ??= new Date();
  });
  findSessionUser = jest.fn(async (userId: string, familyId: string) => {
    const user = this.activeUsers.get(userId);
    const alive = [...this.rows.values()].some((row) => row.familyId === familyId && row.userId === userId && !row.revokedAt && row.expiresAt.getTime() > Date.now());
    return user && alive ? { id: user.id, email: user.email, full_name: user.full_name, employee_id: user.employee_id, role: user.role } : null;
  });

  private noteWrite(method: string): void {
    this.writes.push({ method, transaction: currentTransaction() });
  }
}

const jane: UserDto = {
  id: randomUUID(), email: 'jane.doe@example.com', full_name: 'Jane Doe', employee_id: 'EMP001', department: null, role: Role.Support,
  is_active: true, created_at: new Date(), updated_at: new Date(),
};
const GRACE_SECONDS = 10;
const config = { jwt: { secret: 'x'.repeat(40), algorithm: 'HS256', accessTokenTtlSeconds: 60, refreshTokenTtlDays: 14, refreshReuseGraceSeconds: GRACE_SECONDS } } as AppConfig;
const PASSWORD = 'Correct-Horse-42';
const invalidRefresh = new UnauthorizedException('Invalid or expired refresh token');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Knows one user, Jane, while she is in `activeUsers`. */
const fakeUsersService = (activeUsers: Map<string, UserDto>) => ({
  createAccount: jest.fn(async (account: NewAccount): Promise<UserDto> => ({ ...jane, id: randomUUID(), role: account.role })),
  verifyCredentials: jest.fn(async (email: string, password: string) => (email === jane.email && password === PASSWORD ? jane : null)),
  findActive: jest.fn(async (id: string) => activeUsers.get(id) ?? null),
  signalAccessChanged: jest.fn(),
});

describe(AuthService.name, () => {
  let sut: AuthService;
  let repository: FakeAuthRepository;
  let jwtService: JwtService;
  let activeUsers: Map<string, UserDto>;
  let usersService: ReturnType<typeof fakeUsersService>;
  let throttle: { attempt: jest.Mock };

  beforeEach(() => {
    activeUsers = new Map([[jane.id, jane]]);
    usersService = fakeUsersService(activeUsers);
    repository = new FakeAuthRepository(activeUsers);
    jwtService = new JwtService({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256', expiresIn: 60 } });
    // The throttle lets every attempt through here: sign-in-throttle.spec.ts tests it.
    throttle = { attempt: jest.fn(<T>(_email: string, verify: () => Promise<T>) => verify()) };
    sut = new AuthService(usersService as unknown as UsersService, repository as unknown as AuthRepository, jwtService, config, { schedule: jest.fn() } as unknown as MaintenanceJobs,
      throttle as unknown as SignInThrottle);
  });

  const signIn = () => sut.login({ email: jane.email, password: PASSWORD });
  const familyOf = (refreshToken: string) => repository.rows.get(refreshToken.split('.')[0])!.familyId;

  it('registers a plain user whatever role the request asks for', async () => {
    const dto = { email: 'new@example.com', password: PASSWORD, full_name: 'New Hire', employee_id: 'EMP002', role: 'admin' };

    await expect(sut.register(dto as RegisterDto)).resolves.toMatchObject({ role: Role.User });
    expect(usersService.createAccount).toHaveBeenCalledWith({
      email: 'new@example.com', password: PASSWORD, fullName: 'New Hire', employeeId: 'EMP002', department: null, role: Role.User,
    });
  });

  describe('login', () => {
    it('issues an access token for a new session and a refresh token stored only as a hash', async () => {
      const tokens = await signIn();

      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 60 });
      const claims = await jwtService.verifyAsync<AccessTokenClaims>(tokens.access_token);
      expect(claims).toMatchObject({ sub: jane.id, typ: 'access', sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const [id, secret] = tokens.refresh_token.split('.');
      expect(repository.insertRefreshToken).toHaveBeenCalledWith({
        id, userId: jane.id, familyId: claims.sid, tokenHash: sha256(secret), expiresAt: expect.any(Date),
      });
      const expiresInDays = (repository.rows.get(id)!.expiresAt.getTime() - Date.now()) / 86_400_000;
      expect(expiresInDays).toBeCloseTo(14, 2);
    });

    it('accepts the email under the OAuth2 form name "username"', async () => {
      await expect(sut.login({ username: jane.email, password: PASSWORD })).resolves.toHaveProperty('access_token');
      expect(usersService.verifyCredentials).toHaveBeenCalledWith(jane.email, PASSWORD);
    });

    it('refuses wrong credentials without issuing any token', async () => {
      await expect(sut.login({ email: jane.email, password: 'Wrong-Horse-42' })).rejects.toThrow(
        new UnauthorizedException('Incorrect email or password'),
      );
      expect(repository.insertRefreshToken).not.toHaveBeenCalled();
    });

    it('checks the credentials through the per-account throttle, and issues nothing when it refuses', async () => {
      await signIn();
      expect(throttle.attempt).toHaveBeenCalledWith(jane.email, expect.any(Function));
      throttle.attempt.mockRejectedValueOnce(new TooManyRequestsException('Too many failed sign-ins for this account; retry in 30 s', 30));
      usersService.verifyCredentials.mockClear();
      repository.insertRefreshToken.mockClear();

      await expect(signIn()).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
      expect(usersService.verifyCredentials).not.toHaveBeenCalled();
      expect(repository.insertRefreshToken).not.toHaveBeenCalled();
    });

    it('starts a separate session on every sign-in', async () => {
      const [first, second] = [await signIn(), await signIn()];

      expect(familyOf(first.refresh_token)).not.toBe(familyOf(second.refresh_token));
    });
  });

  describe('refresh', () => {
    it('uses the presented token and issues its successor in the same session, in one transaction', async () => {
      const first = await signIn();
      repository.writes.length = 0;

      const second = await sut.refresh(first.refresh_token);

      const session = familyOf(first.refresh_token);
      expect(repository.markUsed).toHaveBeenCalledWith(first.refresh_token.split('.')[0], second.refresh_token.split('.')[0]);
      expect(repository.insertRefreshToken).toHaveBeenLastCalledWith(expect.objectContaining({ userId: jane.id, familyId: session }));
      // Using the old token and storing its successor commit together, or not at all.
      const [used, issued] = repository.writes;
      expect(repository.writes.map((write) => write.method)).toEqual(['markUsed', 'insertRefreshToken']);
      expect(used.transaction).not.toBeNull();
      expect(issued.transaction).toBe(used.transaction);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      await expect(jwtService.verifyAsync(second.access_token)).resolves.toMatchObject({ sub: jane.id, sid: session });
    });

    it('gives a used token shown again within the grace window the same successor, and revokes nothing', async () => {
      const first = await signIn();
      const second = await sut.refresh(first.refresh_token);

      const again = await sut.refresh(first.refresh_token);
      expect(again.refresh_token).toBe(second.refresh_token);
      expect(repository.revokeFamily).not.toHaveBeenCalled();
      await expect(jwtService.verifyAsync(again.access_token)).resolves.toMatchObject({ sub: jane.id, sid: familyOf(first.refresh_token) });
      expect(repository.insertRefreshToken).toHaveBeenCalledTimes(2); // the sign-in's and one successor
      await expect(sut.refresh(second.refresh_token)).resolves.toMatchObject({ token_type: 'bearer' });
    });

    it('revokes the whole session when a used token is presented again after the grace window', async () => {
      const first = await signIn();
      const second = await sut.refresh(first.refresh_token);
      repository.rows.get(first.refresh_token.split('.')[0])!.usedAt = new Date(Date.now() - (GRACE_SECONDS + 1) * 1000);

      await expect(sut.refresh(first.refresh_token)).rejects.toThrow(
        new UnauthorizedException('Refresh token was already used; the session has been revoked, sign in again'),
      );
      expect(repository.revokeFamily).toHaveBeenCalledWith(familyOf(first.refresh_token));
      expect(usersService.signalAccessChanged).toHaveBeenCalledWith({ userId: jane.id, sessionId: familyOf(first.refresh_token), reason: 'session_ended' });
      await expect(sut.refresh(second.refresh_token)).rejects.toThrow(invalidRefresh);
    });

    it('revokes the session when, within the grace window, the successor has itself been used (the chain moved on elsewhere)', async () => {
      const first = await signIn();
      const second = await sut.refresh(first.refresh_token);
      await sut.refresh(second.refresh_token);

      await expect(sut.refresh(first.refresh_token)).rejects.toThrow(/already used/);
      expect(repository.revokeFamily).toHaveBeenCalledWith(familyOf(first.refresh_token));
    });

    it('refuses a token with the wrong secret, without revoking the session', async () => {
      const { refresh_token } = await signIn();
      const [id] = refresh_token.split('.');

      await expect(sut.refresh(`${id}.not-the-secret`)).rejects.toThrow(invalidRefresh);
      expect(repository.revokeFamily).not.toHaveBeenCalled();
      expect(repository.markUsed).not.toHaveBeenCalled();
    });

    const uuid = '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10';
    it.each(['', 'garbage', 'not-a-uuid.secret', uuid, `${uuid}.`])('refuses the malformed token %p without looking it up', async (presented) => {
      await expect(sut.refresh(presented)).rejects.toThrow(invalidRefresh);
      expect(repository.findRefreshToken).not.toHaveBeenCalled();
    });

    it('refuses an expired token', async () => {
      const { refresh_token } = await signIn();
      repository.rows.get(refresh_token.split('.')[0])!.expiresAt = new Date(Date.now() - 1000);

      await expect(sut.refresh(refresh_token)).rejects.toThrow(invalidRefresh);
      expect(repository.markUsed).not.toHaveBeenCalled();
      expect(repository.revokeFamily).not.toHaveBeenCalled();
    });

    it('refuses a token whose user has been deactivated', async () => {
      const { refresh_token } = await signIn();
      activeUsers.delete(jane.id);

      await expect(sut.refresh(refresh_token)).rejects.toThrow(invalidRefresh);
      expect(usersService.findActive).toHaveBeenCalledWith(jane.id);
      expect(repository.markUsed).not.toHaveBeenCalled();
      expect(repository.revokeFamily).not.toHaveBeenCalled();
    });

    it('gives the loser of two concurrent refreshes with the same token the winner\'s successor (two tabs), revoking nothing', async () => {
      const { refresh_token } = await signIn();
      let winner: Promise<unknown> | undefined;
      usersService.findActive.mockImplementationOnce(async (id) => {
        winner = sut.refresh(refresh_token); // the other tab gets there first and commits
        await winner;
        return activeUsers.get(id) ?? null;
      });

      const loser = await sut.refresh(refresh_token);
      await expect(winner).resolves.toMatchObject({ refresh_token: loser.refresh_token });
      expect(repository.markUsed).toHaveBeenCalledTimes(2);
      await expect(repository.markUsed.mock.results[1].value).resolves.toBe(false);
      expect(repository.insertRefreshToken).toHaveBeenCalledTimes(2); // the sign-in's and the one successor
      expect(repository.revokeFamily).not.toHaveBeenCalled();
    });
  });

  describe('sessions', () => {
    let user: AuthUser;
    let claims: AccessTokenClaims;
    let refreshToken: string;

    beforeEach(async () => {
      const tokens = await signIn();
      claims = await jwtService.verifyAsync<AccessTokenClaims>(tokens.access_token);
      refreshToken = tokens.refresh_token;
      user = { id: jane.id, email: jane.email, fullName: 'Jane Doe', employeeId: 'EMP001', role: Role.Support, sessionId: claims.sid, tokenExpiresAt: new Date(claims.exp! * 1000) };
    });

    it('resolves an access token of a live session to its user', async () => {
      await expect(sut.resolveAccessToken(claims)).resolves.toEqual(user);
      expect(repository.findSessionUser).toHaveBeenCalledTimes(1);
      expect(repository.findSessionUser).toHaveBeenCalledWith(jane.id, claims.sid);
      expect(usersService.findActive).not.toHaveBeenCalled();
    });

    it('logs out by revoking the session, which ends both its access and refresh tokens', async () => {
      await sut.logout(user);

      expect(repository.revokeFamily).toHaveBeenCalledWith(claims.sid);
      await expect(sut.resolveAccessToken(claims)).resolves.toBeNull();
      await expect(sut.refresh(refreshToken)).rejects.toThrow(invalidRefresh);
    });

    it.each<[string, Partial<AccessTokenClaims> | { typ: string }]>([
      ['a token that is not an access token', { typ: 'refresh' }],
      ['a subject that is not a uuid', { sub: '1 OR 1=1' }],
      ['a session id that is not a uuid', { sid: 'abc' }],
      ['a token without an expiry', { exp: undefined }],
    ])('resolves %s to nobody, without a lookup', async (_, override) => {
      await expect(sut.resolveAccessToken({ ...claims, ...override } as AccessTokenClaims)).resolves.toBeNull();
      expect(repository.findSessionUser).not.toHaveBeenCalled();
    });

    it('resolves the access token of a deactivated user to nobody', async () => {
      activeUsers.delete(jane.id);

      await expect(sut.resolveAccessToken(claims)).resolves.toBeNull();
      expect(repository.findSessionUser).toHaveBeenCalledWith(jane.id, claims.sid);
    });
  });
});
