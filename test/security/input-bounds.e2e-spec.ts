// The bounds of input, test by test: every numeric parameter documents and enforces a minimum and a
// maximum (ids at most 2^53 − 1, offset at most 10,000), and what PostgreSQL cannot store or the
// validators cannot take — a NUL character, null in a field that may only be left out — is a 400 naming
// the field rather than a 500.
import { TestApp } from '../support/test-app';
import { Call, mapLimit, send } from './client';
import { coverageProblems, DocumentedOperation } from './document';
import { prepareCalls, Prepared } from './operations';
import { bootWalkingSuite, World } from './world';

describe('Bounds of input on every operation (e2e)', () => {
  let testApp: TestApp;
  let world: World;
  let operations: DocumentedOperation[];
  let base: Map<string, Prepared>;
  let checks = 0;

  beforeAll(async () => {
    ({ testApp, world, operations } = await bootWalkingSuite());
    operations = operations.filter((operation) => operation.table);
    base = await prepareCalls(world, operations);
  });
  afterAll(async () => {
    console.log(`security/input-bounds: ${operations?.length ?? 0} operations, ${checks} operation × value checks`);
    await testApp?.close();
  });

  const baseCall = (operation: DocumentedOperation) => base.get(operation.key)!.call;
  const operationsByKey = (key: string) => operations.find((operation) => operation.key === key)!;

  it('the table covers exactly the operations of the served document', () => {
    expect(coverageProblems(operations)).toEqual([]);
  });

  const numericParameters = () =>
    operations.flatMap((operation) =>
      operation.parameters.filter((parameter) => ['number', 'integer'].includes(parameter.schema.type)).map((parameter) => ({ operation, parameter })),
    );

  it('documents a minimum and a maximum for every numeric parameter, ids at most 2^53 − 1', () => {
    const unbounded = numericParameters()
      .filter(({ parameter: { schema } }) => typeof schema.minimum !== 'number' || typeof schema.maximum !== 'number' || schema.maximum > Number.MAX_SAFE_INTEGER)
      .map(({ operation, parameter }) => `${operation.key} ${parameter.name}: ${JSON.stringify(parameter.schema)}`);
    expect(unbounded).toEqual([]);
    expect(numericParameters().length).toBeGreaterThanOrEqual(13);
  });

  it('refuses every numeric parameter out of its bounds or not an integer with 400 naming it', async () => {
    const cases = numericParameters().flatMap(({ operation, parameter: { name, schema } }) =>
      ['1e20', '-1', String(2 ** 53), String(schema.maximum + 1), String(schema.minimum - 1), '1.5', 'abc'].map((value) => ({ operation, name, value })),
    );
    checks += cases.length;
    const wrong = await mapLimit(cases, 6, async ({ operation: { key, method, path }, name, value }) => {
      const call = baseCall(operationsByKey(key));
      const reply = await send(world.url, method, path, { ...call, query: { ...call.query, [name]: value } }, base.get(key)!.token);
      const named = reply.status === 400 && reply.body?.errors?.length === 1 && reply.body.errors[0].field === name;
      return named ? undefined : `${key} ?${name}=${value}: ${reply.status} ${reply.text.slice(0, 160)}`;
    });
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it('caps offset at 10,000 with a 400 naming it, and on ticket lists names the cursor to page further with', async () => {
    const paged = numericParameters().filter(({ parameter }) => parameter.name === 'offset');
    expect(paged.map(({ operation }) => operation.key).sort()).toEqual([
      'GET /api/v1/llm/documents', 'GET /api/v1/tickets', 'GET /api/v1/tickets/{ticket_id}/comments', 'GET /api/v1/users',
    ]);
    for (const { operation: { key, method, path } } of paged) {
      const call = baseCall(operationsByKey(key));
      const at = (offset: string) => send(world.url, method, path, { ...call, query: { ...call.query, offset } }, base.get(key)!.token);
      expect({ key, status: (await at('10000')).status }).toEqual({ key, status: 200 });
      const beyond = await at('10001');
      expect({ key, status: beyond.status, detail: beyond.body.detail }).toEqual({
        key, status: 400, detail: expect.stringMatching(key === 'GET /api/v1/tickets' ? /^Offset can be at most 10000; page further with cursor/ : /^Offset can be at most 10000/),
      });
    }
  });

  it('takes event ids up to 2^53 − 1 (after, last_event_id, Last-Event-ID) and refuses 2^53 with 400', async () => {
    const largest = String(Number.MAX_SAFE_INTEGER);
    const events = operationsByKey('GET /api/v1/tickets/{ticket_id}/events');
    const streams = operations.filter((operation) => operation.table.stream);
    const ask = (operation: DocumentedOperation, change: Call) => {
      const call = baseCall(operation);
      return send(world.url, operation.method, operation.path, { ...call, ...change, query: { ...call.query, ...change.query } }, base.get(operation.key)!.token);
    };
    const statuses: Record<string, number> = {};
    statuses['events ?after=2^53-1'] = (await ask(events, { query: { after: largest } })).status;
    statuses['events ?after=2^53'] = (await ask(events, { query: { after: String(2 ** 53) } })).status;
    for (const stream of streams) {
      statuses[`${stream.key} ?last_event_id=2^53-1`] = (await ask(stream, { query: { last_event_id: largest } })).status;
      statuses[`${stream.key} ?last_event_id=2^53`] = (await ask(stream, { query: { last_event_id: String(2 ** 53) } })).status;
      statuses[`${stream.key} Last-Event-ID: 2^53-1`] = (await ask(stream, { query: {}, headers: { 'Last-Event-ID': largest } })).status;
      statuses[`${stream.key} Last-Event-ID: 2^53`] = (await ask(stream, { query: {}, headers: { 'Last-Event-ID': String(2 ** 53) } })).status;
    }
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((label) => [label, label.endsWith('2^53') ? 400 : 200])));
  });

  /** Every date-time the API takes, in a query or a JSON body. */
  const dateFields = () =>
    operations.flatMap((operation) => [
      ...operation.parameters.filter((parameter) => parameter.in === 'query' && parameter.schema.format === 'date-time').map(({ name }) => ({ operation, name, in: 'query' as const })),
      ...(operation.bodyTypes.includes('application/json') ? Object.entries(operation.bodyFields).filter(([, schema]) => schema.format === 'date-time').map(([name]) => ({ operation, name, in: 'body' as const })) : []),
    ]);

  it('refuses every date outside the years 0001 to 9999 with 400 naming the field — some PostgreSQL cannot store, none is meant — and takes both ends', async () => {
    expect(dateFields().map(({ operation, name }) => `${operation.key} ${name}`).sort()).toEqual([
      'GET /api/v1/tickets created_after', 'GET /api/v1/tickets created_before',
      'POST /api/v1/approvals/delegations ends_at', 'POST /api/v1/approvals/delegations starts_at',
      'POST /api/v1/request desired_completion_date', 'POST /api/v1/tickets desired_completion_date',
    ]);
    // The earliest and latest instants of JavaScript, the year before 0001, and the one after 9999.
    const outside = ['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z'];
    const ends = ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'];
    const cases = dateFields().flatMap((field) => [...outside, ...ends].map((value) => ({ ...field, value })));
    checks += cases.length;
    // Filing counts against a per-user limit: a user of their own, so the later checks still find room.
    const filer = await world.newUser();
    const wrong = await mapLimit(cases, 4, async ({ operation, name, in: where, value }) => {
      const call = baseCall(operation);
      const changed = where === 'query' ? { ...call, query: { ...call.query, [name]: value } } : { ...call, body: { ...(call.body as object), [name]: value } };
      const token = operation.table.role === 'user' ? filer.token : base.get(operation.key)!.token;
      const reply = await send(world.url, operation.method, operation.path, changed, token);
      const refused = reply.status === 400 && reply.body.errors?.length === 1 && reply.body.errors[0].field === name && /^.+ must be a date, like 2026-05-31 or 2026-05-31T17:00:00Z, from the year 1 to 9999$/.test(reply.body.detail);
      // A delegation may not start in the past nor last past a year: the ends are for the ticket fields only.
      const ok = outside.includes(value) ? refused : operation.key.includes('delegations') ? !refused && reply.status === 400 : reply.status === operation.table.ok;
      return ok ? undefined : `${operation.key} ${name}=${value}: ${reply.status} ${reply.text.slice(0, 160)}`;
    });
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it('refuses a NUL character in any string of a query or a JSON body with 400 naming the field (PostgreSQL text cannot hold one)', async () => {
    const cases = operations.flatMap((operation) => {
      const call = baseCall(operation);
      const query = operation.parameters
        .filter((parameter) => parameter.in === 'query' && parameter.schema.type === 'string' && parameter.name !== 'access_token')
        .map(({ name }) => ({ operation, name, call: { ...call, query: { ...call.query, [name]: 'a\u0000b' } } }));
      const body = !operation.bodyTypes.includes('application/json') ? [] : Object.entries(operation.bodyFields)
        .filter(([, schema]) => schema.type === 'string')
        .map(([name]) => ({ operation, name, call: { ...call, body: { ...(call.body as object), [name]: 'a\u0000b' } } }));
      return [...query, ...body];
    });
    expect(cases.length).toBeGreaterThan(40);
    checks += cases.length;
    const wrong = await mapLimit(cases, 6, async ({ operation: { key, method, path }, name, call }) => {
      const reply = await send(world.url, method, path, call, base.get(key)!.token);
      return reply.status === 400 && reply.body.errors?.[0]?.field === name && / must not contain NUL characters$/.test(reply.body.detail) ? undefined : `${key} ${name}: ${reply.status} ${reply.text.slice(0, 160)}`;
    });
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it('refuses null for a ticket field that may only be left out, and still takes null to unassign', async () => {
    const update = operationsByKey('PATCH /api/v1/tickets/{ticket_id}');
    const patch = (body: object) => send(world.url, update.method, update.path, { ...baseCall(update), body }, base.get(update.key)!.token);
    for (const field of ['status', 'priority', 'category', 'comment']) {
      const reply = await patch({ [field]: null });
      expect({ field, status: reply.status, detail: reply.body.detail }).toEqual({ field, status: 400, detail: expect.stringContaining(field) });
    }
    expect((await patch({ assignee_id: null })).status).toBe(200);
  });
});
