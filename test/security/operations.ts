// How to call every operation of the API: the table the security suite walks. Its keys must be exactly the
// operations of the served OpenAPI document (each suite checks), so a new route cannot go untested.
// Which operations are public is not written here: the document says so, with `security: []`.
import { login } from '../support/http';
import { Call, mapLimit } from './client';
import type { DocumentedOperation } from './document';
import { slaPolicy, type Role, type World } from './world';

export interface Operation {
  /** The least role that may call it when it needs a token ('user': anyone signed in). */
  role: Role;
  /** It names a ticket: another requester gets 404 (or, on a support-only operation, a plain user 403). */
  ticket?: boolean;
  /** It reads a stream (Server-Sent Events), which also takes the token as `?access_token=`. */
  stream?: boolean;
  /** The status of a valid call. */
  ok: number;
  /** A valid call, on the world's shared fixtures: enough for every call that must be refused. */
  call(world: World): Call;
  /** A valid call that succeeds, on state made for it where the call uses state up; defaults to `call`. */
  fresh?(world: World): Promise<Call>;
}

const ticket = (world: World): Call => ({ params: { ticket_id: world.ticket } });
const onTicket = (state: Parameters<World['newTicket']>[0], rest: Call = {}) => async (world: World): Promise<Call> => ({
  ...rest,
  params: { ticket_id: await world.newTicket(state) },
});

/** A notification of the requester's about the world's ticket (written directly: the projection's timing is not this suite's). */
async function requestersNotification(world: World): Promise<string> {
  const [row] = await world.sql<{ id: string }>(
    `INSERT INTO notifications (event_id, recipient_id, kind, ticket_id, title, text, created_at)
     SELECT id, $1, 'comment', ticket_id, 'A comment', 'Someone commented.', now() FROM ticket_events WHERE ticket_id = $2 ORDER BY id LIMIT 1
     ON CONFLICT (event_id, recipient_id, kind) DO UPDATE SET read_at = NULL RETURNING id`,
    [world.requester.id, world.ticket],
  );
  return row.id;
}

const LOG_FILE = { filename: 'vpn.log', type: 'text/plain', content: 'VPN error 809 at 09:14\n' };

export const OPERATIONS: Record<string, Operation> = {
  'GET /health': { role: 'user', ok: 200, call: () => ({}) },
  'GET /api/v1/health': { role: 'user', ok: 200, call: () => ({}) },
  'GET /health/ready': { role: 'user', ok: 200, call: () => ({}) },
  'GET /health/live': { role: 'user', ok: 200, call: () => ({}) },
  'GET /api/v1/demo': { role: 'user', ok: 200, call: () => ({}) },

  'POST /api/v1/auth/register': {
    role: 'user',
    ok: 201,
    call: () => ({ body: { email: `new-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, password: 'Sturdy-Password-9', full_name: 'New Hire', employee_id: `EMP-${Math.random().toString(36).slice(2, 10)}` } }),
  },
  'POST /api/v1/auth/login': { role: 'user', ok: 200, call: (world) => ({ body: { email: world.requester.email, password: world.requester.password } }) },
  'POST /api/v1/auth/refresh': {
    role: 'user',
    ok: 200,
    call: () => ({ body: { refresh_token: '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10.not-a-live-secret' } }),
    fresh: async (world) => ({ body: { refresh_token: (await login(world.url, world.requester.email, world.requester.password)).refreshToken } }),
  },
  'POST /api/v1/auth/logout': { role: 'user', ok: 204, call: () => ({}) },

  'GET /api/v1/users': { role: 'admin', ok: 200, call: () => ({ query: { role: 'user', limit: '5' } }) },
  'GET /api/v1/users/me': { role: 'user', ok: 200, call: () => ({}) },
  'GET /api/v1/users/assignable': { role: 'support', ok: 200, call: () => ({}) },
  'PATCH /api/v1/users/{user_id}/role': {
    role: 'admin',
    ok: 200,
    call: (world) => ({ params: { user_id: world.other.id }, body: { role: 'user' } }),
    fresh: async (world) => ({ params: { user_id: (await world.newUser()).id }, body: { role: 'support' } }),
  },
  'DELETE /api/v1/users/{user_id}': {
    role: 'admin',
    ok: 204,
    call: (world) => ({ params: { user_id: world.other.id } }),
    fresh: async (world) => ({ params: { user_id: (await world.newUser()).id } }),
  },

  'POST /api/v1/tickets': { role: 'user', ok: 201, call: () => ({ body: { request_type: 'hardware', title: 'Laptop fan is loud', description: 'The fan runs at full speed all day.', priority: 'low' } }) },
  'GET /api/v1/tickets': { role: 'user', ok: 200, call: () => ({ query: { status: 'pending', sort: '-created_at', limit: '5' } }) },
  'GET /api/v1/tickets/stats': { role: 'support', ok: 200, call: () => ({ query: { days: '7' } }) },
  'GET /api/v1/tickets/{ticket_id}': { role: 'user', ticket: true, ok: 200, call: ticket },
  'PATCH /api/v1/tickets/{ticket_id}': { role: 'support', ticket: true, ok: 200, call: (world) => ({ ...ticket(world), body: { priority: 'medium' } }) },
  'POST /api/v1/tickets/{ticket_id}/comments': { role: 'user', ticket: true, ok: 201, call: (world) => ({ ...ticket(world), body: { body: 'Still broken after a restart.' } }) },
  'GET /api/v1/tickets/{ticket_id}/comments': { role: 'user', ticket: true, ok: 200, call: (world) => ({ ...ticket(world), query: { limit: '10' } }) },
  'GET /api/v1/tickets/{ticket_id}/events': { role: 'user', ticket: true, ok: 200, call: (world) => ({ ...ticket(world), query: { after: '0', limit: '10' } }) },
  'GET /api/v1/tickets/{ticket_id}/sla': { role: 'support', ticket: true, ok: 200, call: ticket },

  'GET /api/v1/sla/calendars': { role: 'admin', ok: 200, call: () => ({}) },
  'POST /api/v1/sla/calendars': {
    role: 'admin',
    ok: 201,
    call: () => ({ body: { name: `Office ${Math.random().toString(36).slice(2)}`, time_zone: 'America/New_York', working_hours: { tue: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '16:30' }] } } }),
  },
  'GET /api/v1/sla/calendars/{calendar_id}': { role: 'admin', ok: 200, call: (world) => ({ params: { calendar_id: world.calendar } }) },
  'PUT /api/v1/sla/calendars/{calendar_id}': {
    role: 'admin',
    ok: 200,
    call: (world) => ({ params: { calendar_id: world.calendar }, body: { name: `Office ${Math.random().toString(36).slice(2)}`, time_zone: 'Europe/Berlin', working_hours: { wed: [{ start: '09:00', end: '17:00' }] } } }),
  },
  'DELETE /api/v1/sla/calendars/{calendar_id}': {
    role: 'admin',
    ok: 204,
    call: (world) => ({ params: { calendar_id: world.calendar } }),
    fresh: async (world) => ({ params: { calendar_id: await world.newCalendar() } }),
  },
  'GET /api/v1/sla/policies': { role: 'admin', ok: 200, call: () => ({}) },
  'POST /api/v1/sla/policies': { role: 'admin', ok: 201, call: () => ({ body: slaPolicy() }) },
  'GET /api/v1/sla/policies/{policy_id}': { role: 'admin', ok: 200, call: (world) => ({ params: { policy_id: world.policy }, query: { version: '1' } }) },
  'GET /api/v1/sla/policies/{policy_id}/versions': { role: 'admin', ok: 200, call: (world) => ({ params: { policy_id: world.policy } }) },
  'POST /api/v1/sla/policies/{policy_id}/simulate': { role: 'admin', ok: 200, call: (world) => ({ params: { policy_id: world.policy }, query: { days: '7' } }) },
  'PUT /api/v1/sla/policies/{policy_id}': { role: 'admin', ok: 200, call: (world) => ({ params: { policy_id: world.policy }, body: slaPolicy() }) },
  'DELETE /api/v1/sla/policies/{policy_id}': {
    role: 'admin',
    ok: 204,
    call: (world) => ({ params: { policy_id: world.policy } }),
    fresh: async (world) => ({ params: { policy_id: await world.newPolicy() } }),
  },

  'GET /api/v1/approvals': { role: 'support', ok: 200, call: () => ({ query: { mine: 'true', limit: '10' } }) },
  'GET /api/v1/approvals/delegations': { role: 'support', ok: 200, call: () => ({}) },
  'POST /api/v1/approvals/delegations': {
    role: 'support',
    ok: 201,
    call: (world) => ({ body: { delegate_id: world.admin.id, ends_at: new Date(Date.now() + 24 * 3600 * 1000).toISOString() } }),
  },
  'DELETE /api/v1/approvals/delegations/{delegation_id}': {
    role: 'support',
    ok: 204,
    call: (world) => ({ params: { delegation_id: world.delegation } }),
    fresh: async (world) => ({ params: { delegation_id: await world.newDelegation() } }),
  },

  'GET /api/v1/events': { role: 'user', stream: true, ok: 200, call: () => ({ query: { last_event_id: '0' } }) },
  'GET /api/v1/events/{ticket_id}': { role: 'user', stream: true, ticket: true, ok: 200, call: (world) => ({ ...ticket(world), query: { last_event_id: '0' } }) },

  'POST /api/v1/llm/ingest_doc': { role: 'support', ok: 201, call: (world) => ({ form: { files: { file: world.markdown() } } }) },
  'GET /api/v1/llm/documents': { role: 'support', ok: 200, call: () => ({ query: { limit: '5' } }) },
  // Anyone signed in may open a document that a resolution cites; finding and changing them is support's.
  'GET /api/v1/llm/documents/{document_id}': { role: 'user', ok: 200, call: (world) => ({ params: { document_id: world.document } }) },
  'DELETE /api/v1/llm/documents/{document_id}': {
    role: 'support',
    ok: 204,
    call: (world) => ({ params: { document_id: world.document } }),
    fresh: async (world) => ({ params: { document_id: await world.newDocument() } }),
  },
  'GET /api/v1/llm/search': { role: 'support', ok: 200, call: () => ({ query: { q: 'reset the vpn token', k: '3', mode: 'hybrid' } }) },
  'POST /api/v1/llm/resolve_ticket/{ticket_id}': { role: 'support', ticket: true, ok: 201, call: ticket },

  // Attachments: the ticket's requester and staff; a valid upload goes to a ticket of its own (each holds a bounded number).
  'POST /api/v1/tickets/{ticket_id}/attachments': {
    role: 'user',
    ticket: true,
    ok: 201,
    call: (world) => ({ ...ticket(world), form: { files: { file: LOG_FILE } } }),
    fresh: onTicket('pending', { form: { files: { file: LOG_FILE } } }),
  },
  'GET /api/v1/tickets/{ticket_id}/attachments': { role: 'user', ticket: true, ok: 200, call: ticket },
  'GET /api/v1/tickets/{ticket_id}/attachments/{attachment_id}': {
    role: 'user',
    ticket: true,
    ok: 200,
    call: (world) => ({ params: { ticket_id: world.ticket, attachment_id: world.attachment } }),
  },
  'DELETE /api/v1/tickets/{ticket_id}/attachments/{attachment_id}': {
    role: 'user',
    ticket: true,
    ok: 204,
    call: (world) => ({ params: { ticket_id: world.ticket, attachment_id: world.attachment } }),
    fresh: async (world) => {
      const { ticket: ticketId, attachment } = await world.newAttachment();
      return { params: { ticket_id: ticketId, attachment_id: attachment } };
    },
  },

  'GET /api/v1/notifications': { role: 'user', ok: 200, call: () => ({ query: { unread_only: 'true', limit: '5' } }) },
  'GET /api/v1/notifications/preferences': { role: 'user', ok: 200, call: () => ({}) },
  'PUT /api/v1/notifications/preferences': { role: 'user', ok: 200, call: () => ({ body: { preferences: [{ kind: 'comment', in_app: true }] } }) },
  'POST /api/v1/notifications/read_all': { role: 'user', ok: 200, call: () => ({}) },
  'POST /api/v1/notifications/{notification_id}/read': {
    role: 'user',
    ok: 200,
    // Someone's notification, for the calls that must be refused; the requester's own for the one that succeeds.
    call: () => ({ params: { notification_id: '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10' } }),
    fresh: async (world) => ({ params: { notification_id: await requestersNotification(world) } }),
  },
  'GET /api/v1/macros': { role: 'support', ok: 200, call: () => ({}) },
  'POST /api/v1/macros': { role: 'admin', ok: 201, call: () => ({ body: { name: `Reply ${Date.now()}-${Math.random().toString(36).slice(2)}`, body: 'Hi {{requester.first_name}}.' } }) },
  'PATCH /api/v1/macros/{macro_id}': { role: 'admin', ok: 200, call: (world) => ({ params: { macro_id: world.macro }, body: { body: 'Hello {{requester.name}}.' } }) },
  'DELETE /api/v1/macros/{macro_id}': {
    role: 'admin',
    ok: 204,
    call: (world) => ({ params: { macro_id: world.macro } }),
    fresh: async (world) => ({ params: { macro_id: await world.newMacro() } }),
  },
  'POST /api/v1/tickets/{ticket_id}/macros/{macro_id}/render': {
    role: 'support',
    ticket: true,
    ok: 200,
    call: (world) => ({ params: { ticket_id: world.ticket, macro_id: world.macro } }),
  },

  'GET /api/v1/incidents': { role: 'support', ok: 200, call: () => ({ query: { status: 'proposed,open' } }) },
  'POST /api/v1/incidents': {
    role: 'support',
    ok: 201,
    call: (world) => ({ body: { title: 'VPN down', ticket_ids: [world.ticket] } }),
    fresh: async (world) => ({ body: { title: 'VPN down', ticket_ids: [await world.newLoneTicket()] } }),
  },
  'GET /api/v1/incidents/{incident_id}': { role: 'support', ok: 200, call: (world) => ({ params: { incident_id: world.incident } }) },
  'POST /api/v1/incidents/{incident_id}/confirm': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident }, body: {} }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('proposed')).incident }, body: { title: 'VPN gateway outage' } }),
  },
  'POST /api/v1/incidents/{incident_id}/dismiss': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident } }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('proposed')).incident } }),
  },
  'POST /api/v1/incidents/{incident_id}/link': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident }, body: { ticket_id: world.ticket } }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('open')).incident }, body: { ticket_id: await world.newLoneTicket() } }),
  },
  'POST /api/v1/incidents/{incident_id}/unlink': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident }, body: { ticket_id: world.ticket } }),
    fresh: async (world) => {
      const { incident, ticket: ticketId } = await world.newIncident('open');
      return { params: { incident_id: incident }, body: { ticket_id: ticketId } };
    },
  },
  'POST /api/v1/incidents/{incident_id}/updates': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident }, body: { body: 'Restarting the gateway.' } }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('open')).incident }, body: { body: 'Restarting the gateway.' } }),
  },
  'POST /api/v1/incidents/{incident_id}/resolve': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident }, body: { resolution: 'Restarted the gateway.' } }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('open')).incident }, body: { resolution: 'Restarted the gateway.' } }),
  },
  'POST /api/v1/incidents/{incident_id}/reopen': {
    role: 'support',
    ok: 200,
    call: (world) => ({ params: { incident_id: world.incident } }),
    fresh: async (world) => ({ params: { incident_id: (await world.newIncident('resolved')).incident } }),
  },

  'POST /api/v1/request': {
    role: 'user',
    ok: 201,
    call: () => ({ body: { request_type: 'network', title: 'Wi-Fi drops', description: 'The office Wi-Fi drops every ten minutes.', priority: 'medium' } }),
  },
  'POST /api/v1/hil/{ticket_id}': {
    role: 'user',
    ticket: true,
    ok: 200,
    call: (world) => ({ ...ticket(world), body: { answer: 'A ThinkPad T14.' } }),
    fresh: onTicket('waiting_for_user', { body: { answer: 'A ThinkPad T14.' } }),
  },
  'POST /api/v1/workflow/{ticket_id}/ask': {
    role: 'support',
    ticket: true,
    ok: 200,
    call: (world) => ({ ...ticket(world), body: { question: 'Which laptop model do you have?' } }),
    fresh: onTicket('in_progress', { body: { question: 'Which laptop model do you have?' } }),
  },
  'POST /api/v1/workflow/{ticket_id}/retry': { role: 'support', ticket: true, ok: 200, call: ticket, fresh: onTicket('escalated') },
  'GET /api/v1/workflow/{ticket_id}': { role: 'user', ticket: true, ok: 200, call: ticket },
};

export function freshCall(operation: Operation, world: World): Promise<Call> {
  return operation.fresh ? operation.fresh(world) : Promise.resolve(operation.call(world));
}

export interface Prepared {
  call: Call;
  /** A session of its own for each operation's role, so that a logout among the calls ends only its own. */
  token?: string;
}

/** A valid call per operation, on state of its own, and its token: the base that input tests vary. */
export async function prepareCalls(world: World, operations: DocumentedOperation[]): Promise<Map<string, Prepared>> {
  const prepared = new Map<string, Prepared>();
  await mapLimit(operations, 3, async (operation) => {
    const token = operation.public ? undefined : await world.freshToken(world.member(operation.table.role));
    prepared.set(operation.key, { call: await freshCall(operation.table, world), token });
  });
  return prepared;
}
