// The shape of a body is bounded before any work is done on it: a 1 MB JSON body of ~95,000 unknown keys
// is refused by the body parser naming the limit (it used to reach class-transformer, which spent ~11 s on
// it with the event loop blocked), and so is nesting past the depth limit; a prototype key is refused by
// name on every JSON operation, never taken as data. URL-encoded bodies have the same bound.
import { TestApp } from '../support/test-app';
import { Call, mapLimit, send } from './client';
import { DocumentedOperation } from './document';
import { prepareCalls, Prepared } from './operations';
import { bootWalkingSuite, World } from './world';

/** A JSON object of `count` unknown keys: about 1 MB at 95,000. */
function manyKeys(count: number): string {
  const members = Array.from({ length: count }, (_, index) => `"k${index}":1`);
  return `{${members.join(',')}}`;
}

describe('Bounded body shapes on every JSON operation (e2e)', () => {
  let testApp: TestApp;
  let world: World;
  let operations: DocumentedOperation[];
  let base: Map<string, Prepared>;

  beforeAll(async () => {
    ({ testApp, world, operations } = await bootWalkingSuite({ WORKFLOW_TIMEOUT: '1', HIL_WAIT_SECONDS: '1' }));
    operations = operations.filter((operation) => operation.table && operation.bodyTypes.includes('application/json'));
    base = await prepareCalls(world, operations);
  });
  afterAll(() => testApp?.close());

  const baseCall = (operation: DocumentedOperation): Call => base.get(operation.key)!.call;
  const raw = (operation: DocumentedOperation, text: string, contentType = 'application/json'): Call => ({
    ...baseCall(operation),
    body: undefined,
    rawBody: { contentType, text },
  });

  /** The replies that are not a 4xx whose message contains `expected`. */
  const notRefusedWith = async (calls: Array<{ operation: DocumentedOperation; call: Call }>, status: number, expected: RegExp) => {
    const wrong = await mapLimit(calls, 2, async ({ operation: { key, method, path }, call }) => {
      const reply = await send(world.url, method, path, call, base.get(key)!.token);
      return reply.status === status && expected.test(String(reply.body?.detail)) ? undefined : `${key}: ${reply.status} ${reply.text.slice(0, 160)}`;
    });
    return wrong.filter(Boolean);
  };

  it('covers the JSON operations of the served document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it('refuses a 1 MB body of 95,000 unknown keys in the parser, naming the limit, on every JSON operation', async () => {
    const body = manyKeys(95_000);
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThan(1_048_576);
    const calls = operations.map((operation) => ({ operation, call: raw(operation, body) }));
    expect(await notRefusedWith(calls, 400, /more than 2000 fields/)).toEqual([]);
  });

  it('refuses nesting past 32 levels in the parser, naming the limit', async () => {
    const deep = `{"a":${'['.repeat(40)}${']'.repeat(40)}}`;
    const calls = operations.map((operation) => ({ operation, call: raw(operation, deep) }));
    expect(await notRefusedWith(calls, 400, /nested more than 32 levels/)).toEqual([]);
  });

  it('counts structure, not the braces and commas inside strings', async () => {
    const create = operations.find((operation) => operation.key === 'POST /api/v1/tickets')!;
    const description = `Pasted from the console: ${',{['.repeat(3000)}`;
    const text = JSON.stringify({ ...(baseCall(create).body as object), description });
    const reply = await send(world.url, create.method, create.path, raw(create, text), world.requester.token);
    expect(reply.status).toBe(201);
    expect(reply.body.description).toBe(description);
  });

  it('refuses __proto__, constructor and prototype keys by name on every JSON operation, at any depth', async () => {
    const calls = operations.flatMap((operation) => {
      const valid = JSON.stringify(baseCall(operation).body ?? {}).slice(1);
      const rest = valid === '}' ? '}' : `,${valid}`;
      return [
        { operation, call: raw(operation, `{"__proto__":{"role":"admin"}${rest}`) },
        { operation, call: raw(operation, `{"x":{"constructor":{"prototype":{"role":"admin"}}}${rest}`) },
      ];
    });
    expect(await notRefusedWith(calls, 400, /__proto__|constructor/)).toEqual([]);
  });

  it('refuses a URL-encoded body of too many fields with a JSON error naming the limit', async () => {
    const login = operations.find((operation) => operation.key === 'POST /api/v1/auth/login')!;
    const form = Array.from({ length: 5000 }, (_, index) => `k${index}=1`).join('&');
    const reply = await send(world.url, login.method, login.path, raw(login, form, 'application/x-www-form-urlencoded'));
    expect(reply.status).toBe(400);
    expect(reply.body?.detail).toMatch(/more than 2000 fields/);
  });
});
