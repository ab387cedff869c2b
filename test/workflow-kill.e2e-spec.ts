// Durability against a real crash: the server runs as a process of its own and is killed with SIGKILL
// (no shutdown hook runs) while a ticket waits for approval; a new process on the same database resumes it.
import request from 'supertest';
import { clientIp } from './support/http';
import { startServerProcess } from './support/server-process';
import { ADMIN, createDatabase, JWT_SECRET } from './support/test-app';
import { ACCESS_REQUEST, fileRequest, getWorkflow, respond } from './support/workflow';

describe('Workflow after the server is killed (e2e)', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createDatabase();
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET_KEY: JWT_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BCRYPT_ROUNDS: '6',
      ...database.env,
    };
  });
  afterAll(() => database.drop());

  const signIn = async (url: string, email: string, password: string) =>
    (await request(url).post('/api/v1/auth/login').set('X-Forwarded-For', clientIp()).send({ email, password }).expect(200)).body.access_token as string;

  it('resumes a ticket that waited for approval when its server was killed', async () => {
    const first = await startServerProcess(env);
    let ticketId: string;
    const requester = { email: `killed-${Date.now()}@example.com`, password: 'Sturdy-Password-9' };
    try {
      await request(first.url).post('/api/v1/auth/register').set('X-Forwarded-For', clientIp())
        .send({ ...requester, full_name: 'Kim Killed', employee_id: `EMPK${Date.now()}` }).expect(201);
      const token = await signIn(first.url, requester.email, requester.password);
      const filed = await fileRequest(first.url, token, ACCESS_REQUEST, true).expect(201);
      expect(filed.body.status).toBe('waiting_for_approval');
      ticketId = filed.body.ticket_id;
    } finally {
      await first.stop('SIGKILL');
    }

    const second = await startServerProcess(env);
    try {
      const token = await signIn(second.url, requester.email, requester.password);
      const waiting = (await getWorkflow(second.url, token, ticketId).expect(200)).body;
      expect(waiting).toMatchObject({ status: 'waiting_for_approval', run_state: 'waiting', step: 'approval', pending: { kind: 'approval' } });
      const adminToken = await signIn(second.url, ADMIN.email, ADMIN.password);
      const approved = await respond(second.url, adminToken, ticketId, { approval: true, comments: 'after the crash' }, true).expect(200);
      expect(approved.body).toMatchObject({ status: 'resolved', decision: 'approved' });
      const done = (await getWorkflow(second.url, token, ticketId).expect(200)).body;
      expect(done.human_responses).toEqual([expect.objectContaining({ kind: 'approval', approval: true, comments: 'after the crash' })]);
    } finally {
      await second.stop('SIGTERM');
    }
  });
});
