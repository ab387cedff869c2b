// Fuzzed input on every operation of the served document — query, path, header and body values out of
// range, of the wrong type, huge, unicode, with NUL bytes, arrays and objects where scalars belong,
// prototype keys — is answered with a 4xx JSON error that says what is wrong (or, where the value happens to
// be valid, a success), never a 500 and never a stack trace or a file path.
import { TestApp } from '../support/test-app';
import { Call, mapLimit, Reply, send } from './client';
import { coverageProblems, DocumentedOperation } from './document';
import { prepareCalls, Prepared } from './operations';
import { bootWalkingSuite, World } from './world';

const HUGE_IN_URL = 'x'.repeat(10_000); // Node refuses URLs over 16 KB itself, before the app (431)
const HUGE = 'x'.repeat(100_000);
const UNICODE = 'ünïcødé ✓ 😀 \u202eevil\u202c 𝔘';
const PROTO = () => JSON.parse('{"__proto__": {"role": "admin", "isAdmin": true}}');
// Out of range, of the wrong type, empty, huge, odd characters, an array; the numeric bounds have a test of their own.
const STRINGS: Array<string | string[]> = ['1e20', '-1', String(2 ** 53), '1.5', 'abc', '', HUGE_IN_URL, UNICODE, 'a\u0000b', "' OR 1=1 --", '__proto__', '{"$gt":""}', ['1', '2']];
/** Put in the query string as they are: malformed escapes and the bracket syntax of nested objects. */
const RAW_QUERIES = (name: string) => [`${name}=%FF`, `${name}=%`, `${name}[]=1`, `${name}[__proto__][role]=admin`];
const PROTOTYPE_QUERIES = ['__proto__=x', '__proto__[role]=admin', 'constructor[prototype][role]=admin', 'hasOwnProperty=1'];
const PATHS: string[] = ['1e20', '-1', String(2 ** 53), 'abc', ' ', HUGE_IN_URL, UNICODE, '\u0000', '..', '__proto__', '00000000-0000-0000-0000-000000000000', '6f1c0a52-3b7e-4a8e-9a55-3f2a7b1d9c10'];
const RAW_PATHS = ['%FF', '%', '%2e%2e', '%00', '%C0%AF'];
const BODY_VALUES: unknown[] = [1e20, -1, 1.5, true, null, '', HUGE, UNICODE, 'a\u0000b', ['a', 'b'], { a: 1 }, PROTO()];
const LAST_EVENT_IDS = ['1e20', '-1', String(2 ** 53), '9'.repeat(19), 'abc', ' 1', '0x10'];
// What a stack trace or an internal error looks like, should one reach a client.
const LEAKS = /\n\s+at |\bat \S+ \(|[\w/\\-]+\.(?:ts|js):\d+|node_modules|QueryFailedError|TypeError|RangeError|out of range for type|invalid input syntax|syntax error at|violates .* constraint/;

interface Case {
  label: string;
  operation: DocumentedOperation;
  call: Call;
}

describe('Fuzzed input on every operation (e2e)', () => {
  let testApp: TestApp;
  let world: World;
  let operations: DocumentedOperation[];
  let base: Map<string, Prepared>;
  let checks = 0;

  beforeAll(async () => {
    // `?wait=true` is a valid value to fuzz with: let it wait a second, not five minutes.
    ({ testApp, world, operations } = await bootWalkingSuite({ WORKFLOW_TIMEOUT: '1', HIL_WAIT_SECONDS: '1' }));
    operations = operations.filter((operation) => operation.table);
    base = await prepareCalls(world, operations);
  });
  afterAll(async () => {
    console.log(`security/fuzzing: ${operations?.length ?? 0} operations, ${checks} fuzzed requests`);
    await testApp?.close();
  });

  /** Sends every case and lists the replies that are a server error, leak internals, or lack the error body. */
  const problemsOf = async (cases: Case[]) => {
    checks += cases.length;
    const problems: string[] = [];
    await mapLimit(cases, 6, async ({ label, operation: { key, method, path }, call }) => {
      const reply = await send(world.url, method, path, call, base.get(key)!.token).catch((error: Error) => error);
      const problem = reply instanceof Error ? `no answer: ${reply.message}` : problemOf(reply);
      if (problem) problems.push(`${key} ${label}: ${problem}`);
    });
    return problems;
  };
  const baseCall = (operation: DocumentedOperation) => base.get(operation.key)!.call;

  it('the table covers exactly the operations of the served document', () => {
    expect(coverageProblems(operations)).toEqual([]);
  });

  it('answers fuzzed query parameters, malformed escapes and prototype keys without a 500', async () => {
    const cases = operations.flatMap((operation) => {
      const call = baseCall(operation);
      const names = operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      return [
        ...names.flatMap((name) => STRINGS.map((value) => ({ label: `?${name}=${show(value)}`, operation, call: { ...call, query: { ...call.query, [name]: value } } }))),
        ...names.flatMap(RAW_QUERIES).map((rawQuery) => ({ label: `?${rawQuery}`, operation, call: { ...call, query: omit(call.query, rawQuery.split(/[=[]/)[0]), rawQuery } })),
        ...PROTOTYPE_QUERIES.map((rawQuery) => ({ label: `?${rawQuery}`, operation, call: { ...call, rawQuery } })),
      ];
    });
    expect(await problemsOf(cases)).toEqual([]);
  });

  it('answers fuzzed path parameters, malformed escapes included, without a 500', async () => {
    const cases = operations.flatMap((operation) =>
      operation.parameters
        .filter((parameter) => parameter.in === 'path')
        .flatMap(({ name }) => [
          ...PATHS.map((value) => ({ label: `{${name}}=${show(value)}`, operation, call: { ...baseCall(operation), params: { ...baseCall(operation).params, [name]: value } } })),
          ...RAW_PATHS.map((value) => ({ label: `{${name}}=${value}`, operation, call: { ...baseCall(operation), rawPath: true, params: { ...baseCall(operation).params, [name]: value } } })),
        ]),
    );
    expect(cases.length).toBeGreaterThan(100);
    expect(await problemsOf(cases)).toEqual([]);
  });

  it('answers fuzzed Last-Event-ID headers on the streams without a 500', async () => {
    const streams = operations.filter((operation) => operation.table.stream);
    const cases = streams.flatMap((operation) =>
      LAST_EVENT_IDS.map((value) => ({ label: `Last-Event-ID: ${value}`, operation, call: { ...baseCall(operation), headers: { 'Last-Event-ID': value } } })),
    );
    expect(await problemsOf(cases)).toEqual([]);
  });

  it('answers fuzzed values in every field of every JSON body without a 500', async () => {
    const cases = operations
      .filter((operation) => operation.bodyTypes.includes('application/json'))
      .flatMap((operation) =>
        Object.keys(operation.bodyFields).flatMap((field) =>
          BODY_VALUES.map((value) => ({ label: `{${field}: ${show(value)}}`, operation, call: { ...baseCall(operation), body: { ...(baseCall(operation).body as object), [field]: value } } })),
        ),
      );
    expect(cases.length).toBeGreaterThan(300);
    expect(await problemsOf(cases)).toEqual([]);
  });

  it('answers bodies of the wrong shape — not an object, malformed, nested too deep, with prototype keys, over the limit — without a 500', async () => {
    const cases = operations
      .filter((operation) => operation.bodyTypes.includes('application/json'))
      .flatMap((operation) => {
        const valid = JSON.stringify(baseCall(operation).body);
        const field = Object.keys(operation.bodyFields)[0];
        const raw = (label: string, text: string, contentType = 'application/json') => ({ label, operation, call: { ...baseCall(operation), body: undefined, rawBody: { contentType, text } } });
        return [
          ...[[], [baseCall(operation).body], 'text', 42, null, true, {}].map((body) => ({ label: `body ${show(body)}`, operation, call: { ...baseCall(operation), body } })),
          raw('with __proto__', `{"__proto__":{"role":"admin"},${valid.slice(1)}`),
          raw('with constructor.prototype', `{"constructor":{"prototype":{"role":"admin"}},${valid.slice(1)}`),
          raw(`with ${field} nested 10,000 deep`, `{"${field}":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)},${valid.slice(1)}`),
          raw('malformed JSON', valid.slice(0, -1)),
          raw('a NUL byte in the JSON', `${valid.slice(0, -1)},"\u0000":1}`),
          raw('over the body limit', JSON.stringify({ ...(baseCall(operation).body as object), [field]: 'x'.repeat(1_100_000) })),
          raw('as text/plain', valid, 'text/plain'),
          raw('as XML', '<ticket><title>x</title></ticket>', 'application/xml'),
        ];
      });
    expect(await problemsOf(cases)).toEqual([]);
  });

  it('answers fuzzed uploads — no file, another field name, two files, odd file names, text fields — without a 500', async () => {
    const cases = operations
      .filter((operation) => operation.bodyTypes.includes('multipart/form-data'))
      .flatMap((operation) => {
        const file = () => world.markdown();
        const form = (label: string, value: Call['form']) => ({ label, operation, call: { ...baseCall(operation), form: value } });
        return [
          form('without a file', { fields: {} }),
          form('with the file under another name', { files: { document: file() } }),
          form('with two files', { files: { file: file(), other: file() } }),
          form('with a text field named file', { fields: { file: 'not a file' } }),
          form('with an empty file', { files: { file: { ...file(), content: '' } } }),
          form('with a NUL in the file name', { files: { file: { ...file(), filename: 'a\u0000b.md' } } }),
          form('with a traversal file name', { files: { file: { ...file(), filename: '../../../etc/passwd.md' } } }),
          form('with a unicode file name', { files: { file: { ...file(), filename: `${UNICODE}.md` } } }),
          form('with a 5,000-character file name', { files: { file: { ...file(), filename: `${'x'.repeat(5000)}.md` } } }),
          form('with a file that claims to be a PDF', { files: { file: { ...file(), filename: 'a.pdf', type: 'application/pdf' } } }),
          form('with a NUL in the content', { files: { file: { ...file(), content: `# Title\n\nText\u0000more ${Date.now()}` } } }),
          form('with a __proto__ field', { fields: { ['__proto__']: 'x' }, files: { file: file() } }),
        ];
      });
    expect(await problemsOf(cases)).toEqual([]);
  });
});

/** What is wrong with a reply: a server error, internals in its body, or an error without the common error body. */
function problemOf(reply: Reply): string | undefined {
  const excerpt = `${reply.status} ${reply.text.slice(0, 200)}`;
  if (reply.status >= 500) return `a server error: ${excerpt}`;
  if (LEAKS.test(reply.text)) return `internals in the body: ${excerpt}`;
  if (reply.status < 400) return undefined;
  const body = reply.body;
  const message = typeof body?.message === 'string' || (Array.isArray(body?.message) && body.message.length > 0);
  if (body?.statusCode !== reply.status || !message || typeof body.detail !== 'string' || body.detail === '') return `not the JSON error body: ${excerpt}`;
  return undefined;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (text.length > 24 ? `${text.slice(0, 12)}…(${text.length})` : text).replace(/\u0000/g, '\\0');
}

function omit(query: Call['query'], name: string): Call['query'] {
  const { [name]: _, ...rest } = query ?? {};
  return rest;
}
