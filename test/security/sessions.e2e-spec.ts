// Refresh-token rotation that two tabs survive, theft that still ends the session, and a refresh_tokens
// table that does not grow forever.
import request from 'supertest';
import { AuthService } from '../../src/auth/auth.service';
import { MaintenanceJobsRepository } from '../../src/database/maintenance-jobs.repository';
import { clientIp, signUp } from '../support/http';
import { bootTestApp, TestApp } from '../support/test-app';

const GRACE_SECONDS = 1;

describe('Sign-in sessions (e2e)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS), AUTH_THROTTLE_LIMIT: '1000' });
    url = testApp.url;
  });
  afterAll(() => testApp.close());

  const refresh = (refreshToken: string) => request(url).post('/api/v1/auth/refresh').set('X-Forwarded-For', clientIp()).send({ refresh_token: refreshToken });
  const me = (token: string) => request(url).get('/api/v1/users/me').auth(token, { type: 'bearer' });

  it('two tabs refreshing with the same token at once both stay signed in, with the same successor', async () => {
    const user = await signUp(url);
    const [first, second] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.refresh_token).toBe(second.body.refresh_token);
    await me(first.body.access_token).expect(200);
    await me(second.body.access_token).expect(200);
    // The shared successor rotates normally, once.
    const next = await refresh(first.body.refresh_token).expect(200);
    await me(next.body.access_token).expect(200);
    const rows = await testApp.sql<{ count: string }>(`SELECT count(*) FROM refresh_tokens WHERE user_id = $1`, [user.id]);
    expect(Number(rows[0].count)).toBe(3); // the sign-in's, one successor, and the next
  });

  it('a retry of a refresh within the grace window gets the same successor', async () => {
    const user = await signUp(url);
    const first = await refresh(user.refreshToken).expect(200);
    const retried = await refresh(user.refreshToken).expect(200);
    expect(retried.body.refresh_token).toBe(first.body.refresh_token);
    await me(first.body.access_token).expect(200);
  });

  it('reuse after the grace window is theft: 401, and every token of that session dies', async () => {
    const user = await signUp(url);
    const rotated = await refresh(user.refreshToken).expect(200);
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 300));
    const reuse = await refresh(user.refreshToken).expect(401);
    expect(reuse.body.detail).toMatch(/already used/);
    await refresh(rotated.body.refresh_token).expect(401);
    await me(rotated.body.access_token).expect(401);
  });

  it('the purge removes expired and revoked refresh tokens, keeps live and recently used ones', async () => {
    const [kept, expired, loggedOut] = [await signUp(url), await signUp(url), await signUp(url)];
    await refresh(kept.refreshToken).expect(200); // kept's first token is now used: kept for theft detection
    await testApp.sql(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [expired.id]);
    await request(url).post('/api/v1/auth/logout').auth(loggedOut.token, { type: 'bearer' }).expect(204);

    const removed = await testApp.app.get(AuthService).purgeStaleTokens();
    expect(removed).toBeGreaterThanOrEqual(2);
    const left = await testApp.sql<{ user_id: string; used: boolean }>(
      `SELECT user_id, used_at IS NOT NULL AS used FROM refresh_tokens WHERE user_id = ANY($1::uuid[]) ORDER BY created_at`,
      [[kept.id, expired.id, loggedOut.id]],
    );
    expect(left).toEqual([
      { user_id: kept.id, used: true },
      { user_id: kept.id, used: false },
    ]);
    await me(kept.token).expect(200);
  });

  it('a housekeeping job is claimed by one caller per period, however many instances tick', async () => {
    const jobs = testApp.app.get(MaintenanceJobsRepository);
    const name = `test-job-${Date.now()}`;
    const claims = await Promise.all(Array.from({ length: 5 }, () => jobs.claim(name, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await expect(jobs.claim(name, 60_000)).resolves.toBe(false);
    // Once the period has passed, the next tick claims it again.
    await testApp.sql(`UPDATE maintenance_jobs SET last_run_at = now() - interval '2 minutes' WHERE name = $1`, [name]);
    await expect(jobs.claim(name, 60_000)).resolves.toBe(true);
  });
});
