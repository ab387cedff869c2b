// Boots the real app on a throwaway embedded database for the repo's scripts (evaluation, benchmarks),
// with a known admin, and returns its URL and an admin token.
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalServer {
  url: string;
  adminToken: string;
  close(): Promise<void>;
}

export async function startLocalServer(env: Record<string, string> = {}): Promise<LocalServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'support-desk-script-'));
  const admin = { email: 'script-admin@example.com', password: `Pw1-${randomBytes(12).toString('hex')}` };
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET_KEY: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    AUTH_THROTTLE_LIMIT: '1000',
    // The scripts are load generators and bulk loaders acting as one user: no per-user limits.
    LIMIT_REQUESTS_PER_WINDOW: '1000000',
    LIMIT_HIL_PER_WINDOW: '1000000',
    LIMIT_UPLOADS_PER_WINDOW: '1000000',
    ...env,
  });
  // Loaded after the environment is set: the configuration is read when the module is defined.
  const { AppModule } = await import('../src/app.module');
  const { configureApp } = await import('../src/app.setup');
  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, logger: ['warn', 'error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(admin),
  });
  const { access_token: adminToken } = (await login.json()) as { access_token: string };
  return {
    url,
    adminToken,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
