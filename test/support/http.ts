// Small HTTP helpers for the e2e tests: unique users, sign-in, and a distinct client address per caller
// so that the per-IP sign-in throttle of one test does not spill into another.
import request from 'supertest';
import { ADMIN } from './test-app';

let counter = 0;

export function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid}${Date.now().toString(36)}${counter}`;
}

/** A documentation-range address (RFC 5737) used as X-Forwarded-For; the app trusts loopback proxies. */
export function clientIp(): string {
  counter += 1;
  return `203.0.113.${(counter % 250) + 1}`;
}

export interface SignedIn {
  id: string;
  email: string;
  password: string;
  employeeId: string;
  token: string;
  refreshToken: string;
}

export async function registerUser(url: string, overrides: Partial<{ email: string; password: string; full_name: string; employee_id: string }> = {}) {
  const suffix = uniqueSuffix();
  const body = {
    email: `user${suffix}@example.com`,
    password: 'Sturdy-Password-9',
    full_name: 'Test User',
    employee_id: `EMP${suffix}`,
    ...overrides,
  };
  const response = await request(url).post('/api/v1/auth/register').set('X-Forwarded-For', clientIp()).send(body).expect(201);
  return { id: response.body.id as string, email: body.email, password: body.password, employeeId: body.employee_id };
}

export async function login(url: string, email: string, password: string): Promise<{ token: string; refreshToken: string }> {
  const response = await request(url).post('/api/v1/auth/login').set('X-Forwarded-For', clientIp()).send({ email, password }).expect(200);
  return { token: response.body.access_token, refreshToken: response.body.refresh_token };
}

export async function signUp(url: string): Promise<SignedIn> {
  const user = await registerUser(url);
  return { ...user, ...(await login(url, user.email, user.password)) };
}

export async function signInAdmin(url: string): Promise<{ token: string; id: string }> {
  const { token } = await login(url, ADMIN.email, ADMIN.password);
  const me = await request(url).get('/api/v1/users/me').auth(token, { type: 'bearer' }).expect(200);
  return { token, id: me.body.id };
}

/** Signs up a user and gives them a role through the admin API. */
export async function signUpAs(url: string, adminToken: string, role: 'user' | 'support' | 'admin'): Promise<SignedIn> {
  const user = await signUp(url);
  await request(url).patch(`/api/v1/users/${user.id}/role`).auth(adminToken, { type: 'bearer' }).send({ role }).expect(200);
  return user;
}
