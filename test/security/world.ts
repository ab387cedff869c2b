// The people and things every security test file needs, made once per file: one member of each role, a
// requester and another requester, a ticket of the requester's, a knowledge-base document, and the state
// changes (a ticket support works on, a pending question) that some operations need to succeed.
import request from 'supertest';
import { ADMIN, bootTestApp, TestApp, WITHOUT_WORKFLOW } from '../support/test-app';
import { clientIp, login, signUp, uniqueSuffix } from '../support/http';
import { NEW_TICKET } from '../support/tickets';
import { DocumentedOperation, fetchDocument, operationsOf } from './document';

export type Role = 'user' | 'support' | 'admin';

export interface Member {
  id: string;
  email: string;
  password: string;
  role: Role;
  /** A session of this file's own; a test that ends a session signs in afresh (see `freshToken`). */
  token: string;
}

export interface World {
  url: string;
  admin: Member;
  support: Member;
  /** A plain user: the requester of `ticket`. */
  requester: Member;
  /** Another plain user, who may not see the requester's tickets. */
  other: Member;
  ticket: string;
  document: string;
  /** A file the requester attached to `ticket`. */
  attachment: string;
  /** A canned reply (admin's to change). */
  macro: string;
  /** An SLA calendar and a policy that is not the default one (admin's to change). */
  calendar: string;
  policy: string;
  /** A delegation of support's approvals to the admin (support's to end). */
  delegation: string;
  member(role: Role): Member;
  newCalendar(): Promise<string>;
  newPolicy(): Promise<string>;
  newDelegation(): Promise<string>;
  /** A new session of `member`: its token can be used up (logged out) without harming the others. */
  freshToken(member: Member): Promise<string>;
  /** A new ticket of the requester's; `state` moves it there by support's hand first. */
  newTicket(state?: 'pending' | 'in_progress' | 'escalated' | 'waiting_for_user'): Promise<string>;
  newUser(): Promise<Member>;
  newDocument(): Promise<string>;
  /** A file attached by the requester to a new ticket of theirs. */
  newAttachment(): Promise<{ ticket: string; attachment: string }>;
  newMacro(): Promise<string>;
  /** An open incident (support's), made by hand from a new ticket. */
  incident: string;
  /** A new ticket of the other user's in words no other ticket shares: no incident takes it on its own. */
  newLoneTicket(): Promise<string>;
  /** A new incident in `status`, with the new ticket it holds. */
  newIncident(status: 'proposed' | 'open' | 'resolved'): Promise<{ incident: string; ticket: string }>;
  /** A markdown file the knowledge base has not seen yet. */
  markdown(): { filename: string; type: string; content: string };
  sql<T = Record<string, unknown>>(query: string, parameters?: unknown[]): Promise<T[]>;
}

export async function buildWorld(testApp: TestApp): Promise<World> {
  const url = testApp.url;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'X-Forwarded-For': clientIp() });
  const admin: Member = { ...ADMIN, role: 'admin', ...(await session(url, ADMIN.email, ADMIN.password)) };
  const newUser = async (role: Role = 'user'): Promise<Member> => {
    const user = await signUp(url);
    if (role !== 'user') await request(url).patch(`/api/v1/users/${user.id}/role`).set(auth(admin.token)).send({ role }).expect(200);
    return { id: user.id, email: user.email, password: user.password, role, token: user.token };
  };
  const [support, requester, other] = await Promise.all([newUser('support'), newUser(), newUser()]);

  const markdown = () => {
    const topic = uniqueSuffix();
    return { filename: `vpn-${topic}.md`, type: 'text/markdown', content: `# VPN token ${topic}\n\nReset the VPN token ${topic} from the self-service portal, then sign in again.\n` };
  };
  const newDocument = async () => {
    const file = markdown();
    const response = await request(url).post('/api/v1/llm/ingest_doc').set(auth(support.token))
      .attach('file', Buffer.from(file.content), { filename: file.filename, contentType: file.type }).expect(201);
    return response.body.document_id as string;
  };
  const newTicket: World['newTicket'] = async (state = 'pending') => {
    const created = await request(url).post('/api/v1/tickets').set(auth(requester.token)).send(NEW_TICKET).expect(201);
    const id = created.body.ticket_id as string;
    const move = (status: string) => request(url).patch(`/api/v1/tickets/${id}`).set(auth(support.token)).send({ status }).expect(200);
    if (state === 'in_progress' || state === 'waiting_for_user') await move('in_progress');
    if (state === 'escalated') await move('escalated');
    if (state === 'waiting_for_user') {
      await request(url).post(`/api/v1/workflow/${id}/ask`).set(auth(support.token)).send({ question: 'Which laptop model do you have?' }).expect(200);
    }
    return id;
  };
  const attachTo = async (ticketId: string) => {
    const response = await request(url).post(`/api/v1/tickets/${ticketId}/attachments`).set(auth(requester.token))
      .attach('file', Buffer.from('VPN error 809 at 09:14\n'), { filename: 'vpn.log', contentType: 'text/plain' }).expect(201);
    return response.body.attachment_id as string;
  };
  const newAttachment = async () => {
    const ticketId = await newTicket();
    return { ticket: ticketId, attachment: await attachTo(ticketId) };
  };
  const newMacro = async () => {
    const created = await request(url).post('/api/v1/macros').set(auth(admin.token))
      .send({ name: `VPN reply ${uniqueSuffix()}`, body: 'Hi {{requester.first_name}}, please reinstall the VPN client.' }).expect(201);
    return created.body.macro_id as string;
  };
  const newLoneTicket = async () => {
    // Words of its own: no other ticket of the suite is alike, so no incident takes it, and none joins one it is in.
    const noise = () => Array.from({ length: 8 }, () => Math.random().toString(36).slice(2, 9)).join(' ');
    // Filed by the other user: the requester's tickets per minute are the suites' to spend.
    const filed = await request(url).post('/api/v1/tickets').set(auth(other.token)).send({ ...NEW_TICKET, title: noise(), description: noise() }).expect(201);
    return filed.body.ticket_id as string;
  };
  const newIncident = async (status: 'proposed' | 'open' | 'resolved') => {
    const ticketId = await newLoneTicket();
    if (status === 'proposed') {
      const [row] = await testApp.sql<{ id: string }>(`INSERT INTO incidents (status, title) VALUES ('proposed', 'VPN down') RETURNING id`);
      await testApp.sql(`UPDATE tickets SET incident_id = $1 WHERE id = $2`, [row.id, ticketId]);
      return { incident: row.id, ticket: ticketId };
    }
    const created = await request(url).post('/api/v1/incidents').set(auth(support.token)).send({ title: 'VPN down', ticket_ids: [ticketId] }).expect(201);
    const incidentId = created.body.incident_id as string;
    if (status === 'resolved') await request(url).post(`/api/v1/incidents/${incidentId}/resolve`).set(auth(support.token)).send({ resolution: 'Restarted the gateway.' }).expect(200);
    return { incident: incidentId, ticket: ticketId };
  };
  const newCalendar = async () => {
    const created = await request(url).post('/api/v1/sla/calendars').set(auth(admin.token))
      .send({ name: `Office ${uniqueSuffix()}`, time_zone: 'Europe/Berlin', working_hours: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: ['2026-12-25'] }).expect(201);
    return created.body.calendar_id as string;
  };
  const newPolicy = async () => {
    const created = await request(url).post('/api/v1/sla/policies').set(auth(admin.token)).send(slaPolicy()).expect(201);
    return created.body.policy_id as string;
  };
  const newDelegation = async () => {
    const created = await request(url).post('/api/v1/approvals/delegations').set(auth(support.token))
      .send({ delegate_id: admin.id, ends_at: new Date(Date.now() + 24 * 3600 * 1000).toISOString() }).expect(201);
    return created.body.delegation_id as string;
  };
  const [ticket, document, calendar, policy, delegation, macro] = await Promise.all([newTicket(), newDocument(), newCalendar(), newPolicy(), newDelegation(), newMacro()]);
  const attachment = await attachTo(ticket);
  const { incident } = await newIncident('open');
  const members = { admin, support, user: requester };
  return {
    url, admin, support, requester, other, ticket, document, attachment, macro, incident, newIncident, newLoneTicket, calendar, policy, delegation, markdown, newDocument, newAttachment, newMacro, newTicket, newCalendar, newPolicy, newDelegation,
    newUser: () => newUser(),
    member: (role) => members[role],
    freshToken: async (member) => (await login(url, member.email, member.password)).token,
    sql: testApp.sql,
  };
}

/** A valid SLA policy body with a name of its own. */
export function slaPolicy(): Record<string, unknown> {
  const targets = { first_response: 'PT4H', resolution: 'P2D' };
  return { name: `Policy ${uniqueSuffix()}`, targets: { critical: targets, high: targets, medium: targets, low: targets } };
}

async function session(url: string, email: string, password: string): Promise<{ id: string; token: string }> {
  const { token } = await login(url, email, password);
  const me = await request(url).get('/api/v1/users/me').auth(token, { type: 'bearer' }).expect(200);
  return { id: me.body.id, token };
}

/** What a suite that walks the document starts from: the app (its workflow off), the world, and the operations. */
export interface WalkingSuite {
  testApp: TestApp;
  world: World;
  operations: DocumentedOperation[];
}

/** Boots the app for a suite that walks every operation: no workflow, no sign-in throttle in the way. */
export async function bootWalkingSuite(env: Record<string, string> = {}): Promise<WalkingSuite> {
  const testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, AUTH_THROTTLE_LIMIT: '100000', ...env });
  const world = await buildWorld(testApp);
  return { testApp, world, operations: operationsOf(await fetchDocument(testApp.url)) };
}
