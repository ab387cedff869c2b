import request from 'supertest';
import { bootTestApp, TestApp } from './support/test-app';
import { login, signInAdmin, signUp, signUpAs } from './support/http';

describe('Users (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };

  beforeAll(async () => {
    testApp = await bootTestApp();
    url = testApp.url;
    admin = await signInAdmin(url);
  });
  afterAll(() => testApp.close());

  const asAdmin = <T extends request.Test>(call: T) => call.auth(admin.token, { type: 'bearer' });

  describe('GET /users', () => {
    it('lists users for an admin, paginated, oldest first, with the total', async () => {
      await signUp(url);
      await signUp(url);
      await signUp(url);
      const all = await asAdmin(request(url).get('/api/v1/users')).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(4);
      const page = await asAdmin(request(url).get('/api/v1/users?limit=2&offset=1')).expect(200);
      expect(page.body).toMatchObject({ count: 2, total: all.body.total, limit: 2, offset: 1 });
      expect(page.body.users.map((u: { id: string }) => u.id)).toEqual(all.body.users.slice(1, 3).map((u: { id: string }) => u.id));
      expect(JSON.stringify(all.body)).not.toMatch(/password/);
    });

    it('filters by role', async () => {
      const support = await signUpAs(url, admin.token, 'support');
      const response = await asAdmin(request(url).get('/api/v1/users?role=support')).expect(200);
      expect(response.body.users.length).toBeGreaterThanOrEqual(1);
      expect(response.body.users.every((u: { role: string }) => u.role === 'support')).toBe(true);
      expect(response.body.users.map((u: { id: string }) => u.id)).toContain(support.id);
    });

    it('refuses bad paging and unknown filters with 400', async () => {
      for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'role=root', 'color=red']) {
        const response = await asAdmin(request(url).get(`/api/v1/users?${query}`)).expect(400);
        expect(response.body.detail).toEqual(expect.any(String));
      }
    });

    it('is for admins only: 403 for user and support, 401 without a token', async () => {
      const user = await signUp(url);
      const support = await signUpAs(url, admin.token, 'support');
      const forbidden = await request(url).get('/api/v1/users').auth(user.token, { type: 'bearer' }).expect(403);
      expect(forbidden.body).toMatchObject({ statusCode: 403, detail: 'This action requires the role admin' });
      await request(url).get('/api/v1/users').auth(support.token, { type: 'bearer' }).expect(403);
      await request(url).get('/api/v1/users').expect(401);
    });
  });

  describe('PATCH /users/{id}/role', () => {
    it('changes a role, and the change applies to the user’s existing token at once', async () => {
      const user = await signUp(url);
      await request(url).get('/api/v1/users').auth(user.token, { type: 'bearer' }).expect(403);
      const response = await asAdmin(request(url).patch(`/api/v1/users/${user.id}/role`).send({ role: 'admin' })).expect(200);
      expect(response.body).toMatchObject({ id: user.id, role: 'admin' });
      await request(url).get('/api/v1/users').auth(user.token, { type: 'bearer' }).expect(200);
      await asAdmin(request(url).patch(`/api/v1/users/${user.id}/role`).send({ role: 'user' })).expect(200);
      await request(url).get('/api/v1/users').auth(user.token, { type: 'bearer' }).expect(403);
    });

    it('refuses to demote the last admin with 409, and allows it once there is another', async () => {
      const refused = await asAdmin(request(url).patch(`/api/v1/users/${admin.id}/role`).send({ role: 'support' })).expect(409);
      expect(refused.body.detail).toBe('The last admin cannot be demoted; make another user admin first');
      const second = await signUpAs(url, admin.token, 'admin');
      await request(url).patch(`/api/v1/users/${admin.id}/role`).auth(second.token, { type: 'bearer' }).send({ role: 'support' }).expect(200);
      await request(url).patch(`/api/v1/users/${second.id}/role`).auth(second.token, { type: 'bearer' }).send({ role: 'user' }).expect(409);
      await request(url).patch(`/api/v1/users/${admin.id}/role`).auth(second.token, { type: 'bearer' }).send({ role: 'admin' }).expect(200);
      await asAdmin(request(url).patch(`/api/v1/users/${second.id}/role`).send({ role: 'user' })).expect(200);
    });

    it('answers 404 for an unknown user, 400 for a bad id, role or extra field', async () => {
      await asAdmin(request(url).patch('/api/v1/users/00000000-0000-4000-8000-000000000000/role').send({ role: 'user' })).expect(404);
      await asAdmin(request(url).patch('/api/v1/users/not-a-uuid/role').send({ role: 'user' })).expect(400);
      const badRole = await asAdmin(request(url).patch(`/api/v1/users/${admin.id}/role`).send({ role: 'root' })).expect(400);
      expect(badRole.body.message).toEqual(['Choose a role: user, support or admin']);
      expect(badRole.body.errors).toEqual([{ field: 'role', message: 'Choose a role: user, support or admin' }]);
      await asAdmin(request(url).patch(`/api/v1/users/${admin.id}/role`).send({ role: 'admin', is_active: false })).expect(400);
    });

    it('is for admins only', async () => {
      const user = await signUp(url);
      await request(url).patch(`/api/v1/users/${user.id}/role`).auth(user.token, { type: 'bearer' }).send({ role: 'admin' }).expect(403);
      const me = await request(url).get('/api/v1/users/me').auth(user.token, { type: 'bearer' }).expect(200);
      expect(me.body.role).toBe('user');
    });
  });

  describe('DELETE /users/{id}', () => {
    it('deactivates: existing tokens stop at once, sign-in fails, and the user stays listed as inactive', async () => {
      const user = await signUp(url);
      await asAdmin(request(url).delete(`/api/v1/users/${user.id}`)).expect(204);
      await request(url).get('/api/v1/users/me').auth(user.token, { type: 'bearer' }).expect(401);
      await request(url).post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
      await request(url).post('/api/v1/auth/refresh').send({ refresh_token: user.refreshToken }).expect(401);
      const listed = await asAdmin(request(url).get('/api/v1/users?limit=100')).expect(200);
      expect(listed.body.users.find((u: { id: string }) => u.id === user.id)).toMatchObject({ is_active: false });
      // Their email stays taken: history must keep pointing at one person.
      await request(url)
        .post('/api/v1/auth/register')
        .send({ email: user.email, password: 'Sturdy-Password-9', full_name: 'New', employee_id: 'EMP-NEW-X' })
        .expect(409);
    });

    it('refuses to delete the last admin', async () => {
      const response = await asAdmin(request(url).delete(`/api/v1/users/${admin.id}`)).expect(409);
      expect(response.body.detail).toBe('The last admin cannot be deleted; make another user admin first');
      await login(url, 'root-admin@example.com', 'Admin-Password-1');
    });

    it('answers 404 for an unknown user and 403 for a non-admin', async () => {
      await asAdmin(request(url).delete('/api/v1/users/00000000-0000-4000-8000-000000000000')).expect(404);
      const user = await signUp(url);
      const other = await signUp(url);
      await request(url).delete(`/api/v1/users/${other.id}`).auth(user.token, { type: 'bearer' }).expect(403);
      await request(url).get('/api/v1/users/me').auth(other.token, { type: 'bearer' }).expect(200);
    });
  });
});
