import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig } from './app-config';
import { Environment, validateEnvironment } from './environment';

const SECRET = 's'.repeat(32);

describe(validateEnvironment.name, () => {
  it('fills every unset variable with its default', () => {
    const env = validateEnvironment({});

    expect(env).toBeInstanceOf(Environment);
    expect(env).toMatchObject({
      NODE_ENV: 'development', HOST: '0.0.0.0', PORT: 8000, LOG_LEVEL: 'info', DATA_DIR: './data', JWT_ALGORITHM: 'HS256',
      ACCESS_TOKEN_EXPIRE_MINUTES: 30, REFRESH_TOKEN_EXPIRE_DAYS: 14, BCRYPT_ROUNDS: 12, BODY_LIMIT: '1mb', SWAGGER_ENABLED: true,
    });
    expect(env.JWT_SECRET_KEY).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and booleans from their string form', () => {
    const env = validateEnvironment({ PORT: '3000', BCRYPT_ROUNDS: '4', REFRESH_TOKEN_EXPIRE_DAYS: '7', SWAGGER_ENABLED: 'false' });

    expect(env).toMatchObject({ PORT: 3000, BCRYPT_ROUNDS: 4, REFRESH_TOKEN_EXPIRE_DAYS: 7, SWAGGER_ENABLED: false });
    expect(validateEnvironment({ SWAGGER_ENABLED: 'Yes' }).SWAGGER_ENABLED).toBe(true);
  });

  it('treats empty strings as unset, as a .env line like `PORT=` leaves them', () => {
    const env = validateEnvironment({ PORT: '', LOG_LEVEL: '', JWT_SECRET_KEY: '', DATABASE_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });

    expect(env).toMatchObject({ PORT: 8000, LOG_LEVEL: 'info' });
    expect(env.JWT_SECRET_KEY).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ADMIN_EMAIL).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    expect(() => validateEnvironment({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://localhost/desk'],
    ['NODE_ENV', 'staging'],
    ['JWT_SECRET_KEY', 'too-short'],
    ['JWT_ALGORITHM', 'none'],
    ['BCRYPT_ROUNDS', '3'],
    ['BODY_LIMIT', '1gb'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['PORT', '0x1F'],
    ['PORT', '1e3'],
    ['PORT', ' '],
    ['SWAGGER_ENABLED', 'ture'],
    ['SSE_KEEPALIVE_SECONDS', '0'],
  ])('refuses %s=%p with a message naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  - ${name} `));
  });

  it('accepts a postgres:// or postgresql:// DATABASE_URL', () => {
    expect(validateEnvironment({ DATABASE_URL: 'postgres://u:p@db/desk' }).DATABASE_URL).toBe('postgres://u:p@db/desk');
    expect(validateEnvironment({ DATABASE_URL: 'postgresql://u:p@db/desk' }).DATABASE_URL).toBe('postgresql://u:p@db/desk');
  });

  it('requires JWT_SECRET_KEY in production, where an empty one counts as missing', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow('JWT_SECRET_KEY is required when NODE_ENV=production');
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET_KEY: '' })).toThrow('JWT_SECRET_KEY');
    expect(validateEnvironment({ NODE_ENV: 'production', JWT_SECRET_KEY: SECRET }).JWT_SECRET_KEY).toBe(SECRET);
  });

  it('holds ADMIN_PASSWORD to the same strength rule as registration', () => {
    expect(() => validateEnvironment({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'onlyletters' })).toThrow(
      /ADMIN_PASSWORD must contain a letter and a digit/,
    );
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    const together = 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together';

    expect(() => validateEnvironment({ ADMIN_EMAIL: 'boss@example.com' })).toThrow(together);
    expect(() => validateEnvironment({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: '' })).toThrow(together);
    expect(() => validateEnvironment({ ADMIN_PASSWORD: 'Secret-Pass-1' })).toThrow(together);
    expect(validateEnvironment({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'Secret-Pass-1' })).toMatchObject({
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'Secret-Pass-1',
    });
  });
});

describe(AppConfig.name, () => {
  let dataDir: string;
  let warn: jest.Mock;
  const configFor = (vars: Record<string, string> = {}) => new AppConfig(validateEnvironment({ DATA_DIR: dataDir, ...vars }));

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'app-config-'));
    warn = jest.fn();
    Logger.overrideLogger({ log: jest.fn(), error: jest.fn(), warn });
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a development JWT secret once, readable only by its owner, and reuses it after a restart', () => {
    const secretFile = join(dataDir, 'jwt-secret');

    const first = configFor();

    expect(first.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(secretFile, 'utf8')).toBe(first.jwt.secret);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain(secretFile);

    const second = configFor();

    expect(second.jwt.secret).toBe(first.jwt.secret);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('reads a secret file written by hand, without its trailing newline', () => {
    writeFileSync(join(dataDir, 'jwt-secret'), `${SECRET}\n`, { mode: 0o600 });

    expect(configFor().jwt.secret).toBe(SECRET);
    expect(warn).not.toHaveBeenCalled();
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = join(dataDir, 'not', 'yet');

    const config = configFor({ DATA_DIR: nested });

    expect(readFileSync(join(nested, 'jwt-secret'), 'utf8')).toBe(config.jwt.secret);
  });

  it('uses JWT_SECRET_KEY when given and writes no secret file', () => {
    const config = configFor({ JWT_SECRET_KEY: SECRET, JWT_ALGORITHM: 'HS512' });

    expect(config.jwt).toMatchObject({ secret: SECRET, algorithm: 'HS512' });
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it('turns the token lifetimes into the units the auth code uses', () => {
    const config = configFor({ ACCESS_TOKEN_EXPIRE_MINUTES: '15', REFRESH_TOKEN_EXPIRE_DAYS: '7' });

    expect(config.jwt).toMatchObject({ accessTokenTtlSeconds: 900, refreshTokenTtlDays: 7 });
  });

  it.each<[string, string[] | '*']>([
    [' https://desk.example.com , ,https://admin.example.com ', ['https://desk.example.com', 'https://admin.example.com']],
    ['*', '*'],
    ['https://desk.example.com, *', '*'],
    ['', ['http://localhost:3000', 'http://localhost:8080']],
  ])('reads ALLOWED_ORIGINS=%p as %p', (value, expected) => {
    expect(configFor({ ALLOWED_ORIGINS: value }).allowedOrigins).toEqual(expected);
  });

  it.each<[string, string | boolean | number]>([
    ['true', true],
    ['false', false],
    ['1', 1],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
    ['', 'loopback'],
  ])('reads TRUST_PROXY=%p as %p', (value, expected) => {
    expect(configFor({ TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it('knows the first admin only when both ADMIN_EMAIL and ADMIN_PASSWORD are set', () => {
    expect(configFor({ ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'Secret-Pass-1' }).admin).toEqual({
      email: 'boss@example.com',
      password: 'Secret-Pass-1',
    });
    expect(configFor().admin).toBeUndefined();
  });

  it('tells production apart and resolves DATA_DIR to an absolute path', () => {
    const config = configFor({ NODE_ENV: 'production', JWT_SECRET_KEY: SECRET, DATA_DIR: 'relative/data' });

    expect(config).toMatchObject({ nodeEnv: 'production', isProduction: true, dataDir: resolve('relative/data') });
    expect(configFor().isProduction).toBe(false);
  });

  it('refuses DEMO in production, where its published passwords would be real accounts', () => {
    expect(() => validateEnvironment({ DEMO: 'true', NODE_ENV: 'production', JWT_SECRET_KEY: 'k'.repeat(48) })).toThrow(/DEMO=true .* refused when NODE_ENV is production/);
    expect(validateEnvironment({ DEMO: 'true' })).toMatchObject({ DEMO: true });
  });
});
