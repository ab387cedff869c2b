// `npm run demo` (DEMO=true): a first start that shows the product working — demo accounts for each role,
// the demo knowledge base, a how-to question resolved with citations and an access request waiting for
// approval; a restart adds nothing twice.
import request from 'supertest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo/demo-content';
import { login } from './support/http';
import { bootTestApp, TestApp } from './support/test-app';
import { getWorkflow, waitForStatus } from './support/workflow';

describe('Demo (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await bootTestApp({ DEMO: 'true' });
  });
  afterAll(() => testApp?.close());

  const signIn = async (role: 'user' | 'support' | 'admin') => (await login(testApp.url, DEMO_ACCOUNTS.find((a) => a.role === role)!.email, DEMO_PASSWORD)).token;
  const myTickets = async (token: string) =>
    (await request(testApp.url).get('/api/v1/tickets').auth(token, { type: 'bearer' }).expect(200)).body.tickets as Array<{ ticket_id: string; title: string }>;

  it('creates an account for each role with the published password', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const { token } = await login(testApp.url, account.email, DEMO_PASSWORD);
      const me = await request(testApp.url).get('/api/v1/users/me').auth(token, { type: 'bearer' }).expect(200);
      expect(me.body).toMatchObject({ email: account.email, role: account.role });
    }
  });

  it('tells the sign-in page, without a token, that the demo is on and how to sign in to it', async () => {
    const status = await request(testApp.url).get('/api/v1/demo').expect(200);
    expect(status.body).toEqual({
      enabled: true,
      accounts: DEMO_ACCOUNTS.map((account) => ({ role: account.role, email: account.email, full_name: account.fullName })),
      password: DEMO_PASSWORD,
    });
  });

  it('loads the demo knowledge base and files two requests: one resolved with citations, one waiting for approval', async () => {
    const admin = await signIn('admin');
    const documents = await request(testApp.url).get('/api/v1/llm/documents').query({ limit: 50 }).auth(admin, { type: 'bearer' }).expect(200);
    expect(documents.body.documents).toHaveLength(12);

    const employee = await signIn('user');
    const tickets = await myTickets(employee);
    expect(tickets).toHaveLength(2);
    const howTo = tickets.find((ticket) => ticket.title.startsWith('Move multi-factor'))!;
    const access = tickets.find((ticket) => ticket.title.startsWith('Admin access'))!;
    await waitForStatus(testApp.url, employee, howTo.ticket_id, ['resolved']);
    await waitForStatus(testApp.url, employee, access.ticket_id, ['waiting_for_approval']);
    const plan = (await getWorkflow(testApp.url, employee, howTo.ticket_id).expect(200)).body.plan;
    expect(plan.citations.map((citation: { title: string }) => citation.title)).toContain('Move multi-factor authentication to a new phone');

    const support = await signIn('support');
    await request(testApp.url).post(`/api/v1/hil/${access.ticket_id}?wait=true`).auth(support, { type: 'bearer' }).send({ approval: true, comments: 'Approved for the board report' }).expect(200);
  });

  it('adds nothing twice when the server starts again with DEMO=true', async () => {
    testApp = await testApp.restart();
    const admin = await signIn('admin');
    const documents = await request(testApp.url).get('/api/v1/llm/documents').query({ limit: 50 }).auth(admin, { type: 'bearer' }).expect(200);
    expect(documents.body.documents).toHaveLength(12);
    expect(await myTickets(await signIn('user'))).toHaveLength(2);
  });
});
