// Authentication and authorization over every operation of the served OpenAPI document: each one works
// when called properly, refuses every kind of bad token with 401, refuses a role below its own with 403,
// and hides another requester's ticket (404). The table in operations.ts says how to call each operation.
import { TestApp } from '../support/test-app';
import { NEW_TICKET } from '../support/tickets';
import { badTokens, mapLimit, Reply, send } from './client';
import { coverageProblems, DocumentedOperation } from './document';
import { freshCall } from './operations';
import { bootWalkingSuite, Role, World } from './world';

const RANK: Record<Role, number> = { user: 0, support: 1, admin: 2 };

describe('Access control of every operation (e2e)', () => {
  let testApp: TestApp;
  let world: World;
  let operations: DocumentedOperation[];
  let checks = 0;

  beforeAll(async () => {
    ({ testApp, world, operations } = await bootWalkingSuite());
  });
  afterAll(async () => {
    console.log(`security/access-control: ${operations?.length ?? 0} operations, ${checks} operation × case checks`);
    await testApp?.close();
  });

  const guarded = () => operations.filter((operation) => !operation.public && operation.table);
  /** Sends each case and lists those answered otherwise than expected. */
  const mismatches = async <T>(cases: T[], run: (item: T) => Promise<{ label: string; reply: Reply; expected: number }>) => {
    checks += cases.length;
    const results = await mapLimit(cases, 6, run);
    return results
      .filter(({ reply, expected }) => reply.status !== expected || (expected >= 400 && reply.body?.statusCode !== expected))
      .map(({ label, reply, expected }) => `${label}: expected ${expected}, got ${reply.status} ${reply.text.slice(0, 160)}`);
  };

  it('the table covers exactly the operations of the served document', () => {
    expect(coverageProblems(operations)).toEqual([]);
  });

  it('every operation succeeds when called properly by its role, public ones without a token', async () => {
    const failures = await mismatches(operations.filter((operation) => operation.table), async (operation) => {
      const { key, method, path, table } = operation;
      const token = operation.public ? undefined : await world.freshToken(world.member(table.role));
      return { label: key, reply: await send(world.url, method, path, await freshCall(table, world), token), expected: table.ok };
    });
    expect(failures).toEqual([]);
  });

  it('every non-public operation refuses a missing, malformed, expired, unexpiring, tampered, unsigned or foreign token, and a dead session’s, with 401', async () => {
    const member = await world.newUser();
    const deactivated = await world.newUser();
    await send(world.url, 'DELETE', '/api/v1/users/{user_id}', { params: { user_id: deactivated.id } }, world.admin.token);
    const loggedOut = await world.freshToken(world.admin);
    await send(world.url, 'POST', '/api/v1/auth/logout', {}, loggedOut);
    // Forged from an admin's token, so that a flaw would grant the most.
    const tokens = Object.entries(badTokens(world.admin.token, member.id, { deactivated: deactivated.token, loggedOut }));
    const cases = guarded().flatMap((operation) => tokens.map(([kind, token]) => ({ operation, kind, token })));

    const failures = await mismatches(cases, async ({ operation: { key, method, path, table }, kind, token }) => ({
      label: `${key} with ${kind}`,
      reply: await send(world.url, method, path, table.call(world), token),
      expected: 401,
    }));
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(guarded().length * 10);
  });

  it('the streams take the token from ?access_token= as well, and refuse every bad one there with 401', async () => {
    const deactivated = await world.newUser();
    await send(world.url, 'DELETE', '/api/v1/users/{user_id}', { params: { user_id: deactivated.id } }, world.admin.token);
    const loggedOut = await world.freshToken(world.requester);
    await send(world.url, 'POST', '/api/v1/auth/logout', {}, loggedOut);
    const tokens = Object.entries(badTokens(world.requester.token, world.other.id, { deactivated: deactivated.token, loggedOut }))
      .filter((entry): entry is [string, string] => entry[1] !== undefined);
    const streams = guarded().filter((operation) => operation.table.stream);
    expect(streams.map((operation) => operation.key)).toEqual(['GET /api/v1/events', 'GET /api/v1/events/{ticket_id}']);
    const withToken = (call: ReturnType<DocumentedOperation['table']['call']>, token: string) => ({ ...call, query: { ...call.query, access_token: token } });
    const cases = streams.flatMap((operation) => [
      { operation, kind: 'a valid token', token: world.requester.token, expected: 200 },
      { operation, kind: 'an empty token', token: '', expected: 401 },
      ...tokens.map(([kind, token]) => ({ operation, kind, token, expected: 401 })),
    ]);

    const failures = await mismatches(cases, async ({ operation: { key, method, path, table }, kind, token, expected }) => ({
      label: `${key}?access_token= with ${kind}`,
      reply: await send(world.url, method, path, withToken(table.call(world), token)),
      expected,
    }));
    expect(failures).toEqual([]);
  });

  it('the streams take the token only under its exact, unencoded name, given once', async () => {
    const streams = guarded().filter((operation) => operation.table.stream);
    const token = world.requester.token;
    const spellings = [
      { query: `access_token=${token}`, expected: 200 },
      { query: `access%5Ftoken=${token}`, expected: 401 },
      { query: `%61ccess_token=${token}`, expected: 401 },
      { query: `access_token%3D${token}`, expected: 401 },
      { query: `access_token[]=${token}`, expected: 401 },
      { query: `ACCESS_TOKEN=${token}`, expected: 401 },
      { query: `access_token=${token}&access_token=${token}`, expected: 401 },
    ];
    const cases = streams.flatMap((operation) => spellings.map((spelling) => ({ operation, ...spelling })));
    const failures = await mismatches(cases, async ({ operation: { key, method, path, table }, query, expected }) => ({
      label: `${key}?${query.replaceAll(token, '<token>')}`,
      reply: await send(world.url, method, path, { ...table.call(world), rawQuery: query }),
      expected,
    }));
    expect(failures).toEqual([]);
  });

  it('no other operation takes the token from ?access_token= (it would end up in logs and histories)', async () => {
    const others = guarded().filter((operation) => !operation.table.stream);
    const failures = await mismatches(others, async ({ key, method, path, table }) => {
      const call = table.call(world);
      return { label: key, reply: await send(world.url, method, path, { ...call, query: { ...call.query, access_token: world.admin.token } }), expected: 401 };
    });
    expect(failures).toEqual([]);
  });

  it('every support- or admin-only operation refuses a plain user, and every admin-only one refuses support, with 403', async () => {
    const cases = guarded().flatMap((operation) =>
      (['user', 'support'] as Role[]).filter((role) => RANK[role] < RANK[operation.table.role]).map((role) => ({ operation, role })),
    );
    const failures = await mismatches(cases, async ({ operation: { key, method, path, table }, role }) => ({
      label: `${key} as ${role}`,
      reply: await send(world.url, method, path, table.call(world), role === 'user' ? world.requester.token : world.support.token),
      expected: 403,
    }));
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(0);
  });

  it('every operation naming a ticket hides it from another requester: 404, or 403 where only support may act', async () => {
    const onTickets = guarded().filter((operation) => operation.table.ticket);
    const replies: string[] = [];
    const failures = await mismatches(onTickets, async ({ key, method, path, table }) => {
      const reply = await send(world.url, method, path, table.call(world), world.other.token);
      replies.push(reply.text);
      return { label: key, reply, expected: table.role === 'user' ? 404 : 403 };
    });
    expect(failures).toEqual([]);
    expect(onTickets.length).toBeGreaterThanOrEqual(11);
    // Nothing of the ticket itself comes back in a refusal.
    for (const text of replies) expect(text).not.toMatch(new RegExp(`${NEW_TICKET.title}|${NEW_TICKET.description}|${world.requester.id}`));
  });
});
