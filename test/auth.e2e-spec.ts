import { createHmac } from 'node:crypto';
import request from 'supertest';
import { bootTestApp, JWT_SECRET, TestApp } from './support/test-app';
import { clientIp, login, registerUser, signInAdmin, signUp } from './support/http';

function signToken(claims: object, options: { alg?: string; secret?: string } = {}): string {
  const alg = options.alg ?? 'HS256';
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  if (alg === 'none') return `${unsigned}.`;
  const digest = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] as string;
  return `${unsigned}.${createHmac(digest, options.secret ?? JWT_SECRET).update(unsigned).digest('base64url')}`;
}

function claimsOf(token: string): { sub: string; sid: string; typ: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe('Auth (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    // No grace window: a used refresh token shown again is theft at once (test/security/sessions covers the window).
    testApp = await bootTestApp({ AUTH_THROTTLE_LIMIT: '5', AUTH_THROTTLE_TTL: '60', REFRESH_REUSE_GRACE_SECONDS: '0' });
    url = testApp.url;
  });
  afterAll(() => testApp.close());

  describe('register', () => {
    it('creates a user with role user and never returns the password hash', async () => {
      const response = await request(url)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', clientIp())
        .send({ email: 'Alice.Smith@Example.com', password: 'Sturdy-Password-9', full_name: 'Alice Smith', employee_id: 'EMP-ALICE' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'alice.smith@example.com',
        full_name: 'Alice Smith',
        employee_id: 'EMP-ALICE',
        department: null,
        role: 'user',
        is_active: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password|\$2[aby]\$/);
    });

    it('refuses a duplicate email, whatever its case, with 409', async () => {
      const user = await registerUser(url);
      const response = await request(url)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', clientIp())
        .send({ email: user.email.toUpperCase(), password: 'Sturdy-Password-9', full_name: 'Twin', employee_id: 'EMP-OTHER-1' })
        .expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict', detail: 'A user with this email already exists' });
    });

    it('refuses a duplicate employee id with 409 naming it', async () => {
      const user = await registerUser(url);
      const response = await request(url)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', clientIp())
        .send({ email: 'someone.else@example.com', password: 'Sturdy-Password-9', full_name: 'Twin', employee_id: user.employeeId })
        .expect(409);
      expect(response.body.detail).toBe(`A user with employee_id ${user.employeeId} already exists`);
    });

    it('refuses weak passwords, bad emails and unknown fields with 400 listing each field', async () => {
      const response = await request(url)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', clientIp())
        .send({ email: 'not-an-email', password: 'abcdefgh', full_name: 'X', employee_id: 'E 1', role: 'admin' })
        .expect(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'role', message: 'Unknown field: role' },
          { field: 'email', message: 'Enter a valid email address, like name@example.com' },
          { field: 'password', message: 'The password needs at least one letter and one digit, and can be at most 72 bytes long (72 plain letters)' },
          { field: 'employee_id', message: 'Your employee ID can use only letters, digits, dots, dashes and underscores (at most 64)' },
        ]),
      );
      expect(response.body.errors).toHaveLength(4);
      expect(response.body.message).toEqual(response.body.errors.map((error: { message: string }) => error.message));
      expect(typeof response.body.detail).toBe('string');
    });

    it('refuses a password longer than bcrypt reads', async () => {
      const response = await request(url)
        .post('/api/v1/auth/register')
        .set('X-Forwarded-For', clientIp())
        .send({ email: 'long@example.com', password: `a1${'x'.repeat(80)}`, full_name: 'Long', employee_id: 'EMP-LONG' })
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'password', message: 'The password needs at least one letter and one digit, and can be at most 72 bytes long (72 plain letters)' }]);
    });
  });

  describe('login', () => {
    it('returns a bearer token pair for JSON credentials, and the token works on /users/me', async () => {
      const user = await registerUser(url);
      const response = await request(url)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', clientIp())
        .send({ email: user.email, password: user.password })
        .expect(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'bearer',
        expires_in: 1800,
        refresh_token: expect.stringMatching(/^[0-9a-f-]{36}\.[\w-]{43}$/),
      });
      const me = await request(url).get('/api/v1/users/me').auth(response.body.access_token, { type: 'bearer' }).expect(200);
      expect(me.body).toMatchObject({ id: user.id, email: user.email, role: 'user' });
    });

    it('accepts the OAuth2 password form that Swagger UI sends', async () => {
      const user = await registerUser(url);
      const response = await request(url)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', clientIp())
        .type('form')
        .send({ grant_type: 'password', username: user.email, password: user.password, scope: '' })
        .expect(200);
      expect(response.body.token_type).toBe('bearer');
    });

    it('answers an unknown email and a wrong password with the same 401', async () => {
      const user = await registerUser(url);
      const wrongPassword = await request(url)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', clientIp())
        .send({ email: user.email, password: 'Wrong-Password-1' })
        .expect(401);
      const unknownEmail = await request(url)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', clientIp())
        .send({ email: 'nobody@example.com', password: 'Wrong-Password-1' })
        .expect(401);
      expect(wrongPassword.body).toEqual(unknownEmail.body);
      expect(wrongPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Incorrect email or password', detail: 'Incorrect email or password' });
    });

    it('needs an email or username', async () => {
      const response = await request(url).post('/api/v1/auth/login').set('X-Forwarded-For', clientIp()).send({ password: 'x' }).expect(400);
      expect(response.body.errors).toEqual([
        { field: 'email', message: 'Enter your email address' },
        { field: 'username', message: 'Enter your email address' },
      ]);
    });
  });

  describe('throttling', () => {
    // Each attempt names another account, so that only the per-address throttle is at work (the per-account
    // one has test/security/sign-in.e2e-spec.ts).
    it('answers the sixth attempt in a window from one address with 429 and Retry-After', async () => {
      const ip = '198.51.100.77';
      const attempt = (from: string, i: number) => request(url).post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email: `x${i}@example.com`, password: 'nope-1234' });
      for (let i = 1; i <= 5; i++) await attempt(ip, i).expect(401);
      const blocked = await attempt(ip, 6).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      // Another address is not affected.
      await attempt('198.51.100.78', 7).expect(401);
    });
  });

  describe('refresh and logout', () => {
    it('rotates: a refresh token gives a new pair once, and the new pair works', async () => {
      const user = await signUp(url);
      const first = await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: user.refreshToken }).expect(200);
      expect(first.body.refresh_token).not.toBe(user.refreshToken);
      expect(claimsOf(first.body.access_token).sid).toBe(claimsOf(user.token).sid);
      await request(url).get('/api/v1/users/me').auth(first.body.access_token, { type: 'bearer' }).expect(200);
      const second = await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: first.body.refresh_token }).expect(200);
      expect(second.body.access_token).toEqual(expect.any(String));
    });

    it('revokes the whole session when a used refresh token is presented again', async () => {
      const user = await signUp(url);
      const rotated = await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: user.refreshToken }).expect(200);
      const reuse = await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: user.refreshToken }).expect(401);
      expect(reuse.body.detail).toMatch(/already used/);
      // The thief's and the owner's newer tokens are dead too.
      await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: rotated.body.refresh_token }).expect(401);
      await request(url).get('/api/v1/users/me').auth(rotated.body.access_token, { type: 'bearer' }).expect(401);
      // Another sign-in of the same user is a separate session and still works.
      const again = await login(url, user.email, user.password);
      await request(url).get('/api/v1/users/me').auth(again.token, { type: 'bearer' }).expect(200);
    });

    it('refuses malformed and unknown refresh tokens with 401', async () => {
      for (const refresh_token of ['garbage', '00000000-0000-0000-0000-000000000000.abc', 'a.b.c']) {
        await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token }).expect(401);
      }
      await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({}).expect(400);
    });

    it('logout ends the session: its access and refresh tokens stop working at once', async () => {
      const user = await signUp(url);
      await request(url).post('/api/v1/auth/logout').auth(user.token, { type: 'bearer' }).expect(204);
      const me = await request(url).get('/api/v1/users/me').auth(user.token, { type: 'bearer' }).expect(401);
      expect(me.body.detail).toBe('Access token is no longer valid; sign in again');
      await request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: user.refreshToken }).expect(401);
    });

    it('logout needs a token', async () => {
      await request(url).post('/api/v1/auth/logout').expect(401);
    });
  });

  describe('access tokens', () => {
    let user: Awaited<ReturnType<typeof signUp>>;
    beforeAll(async () => {
      user = await signUp(url);
    });

    const me = (token?: string) => {
      const call = request(url).get('/api/v1/users/me');
      return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
    };

    it('refuses a request without a token', async () => {
      const response = await me().expect(401);
      expect(response.body.detail).toBe('Missing or invalid access token');
    });

    it('refuses a token signed with another key', async () => {
      const claims = claimsOf(user.token);
      await me(signToken(claims, { secret: 'someone-elses-secret-0123456789-0123456789' })).expect(401);
    });

    it('refuses an expired token, saying so', async () => {
      const claims = { ...claimsOf(user.token), iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 60 };
      const response = await me(signToken(claims)).expect(401);
      expect(response.body.detail).toBe('Access token has expired');
    });

    it('refuses alg none and a token signed with HS512 instead of the pinned HS256', async () => {
      const claims = claimsOf(user.token);
      await me(signToken(claims, { alg: 'none' })).expect(401);
      await me(signToken(claims, { alg: 'HS512' })).expect(401);
      // The same claims signed the pinned way are accepted, so the refusals above are about the algorithm.
      await me(signToken(claims, { alg: 'HS256' })).expect(200);
    });

    it('refuses a well-signed token that is not an access token', async () => {
      await me(signToken({ ...claimsOf(user.token), typ: 'refresh' })).expect(401);
    });
  });

  it('the configured admin exists from the first start', async () => {
    const admin = await signInAdmin(url);
    const response = await request(url).get('/api/v1/users/me').auth(admin.token, { type: 'bearer' }).expect(200);
    expect(response.body).toMatchObject({ role: 'admin', employee_id: 'ADMIN' });
  });
});
