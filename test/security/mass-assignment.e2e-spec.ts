// Mass assignment: a write that carries a field its body does not declare — a privileged one (role, the
// requester, the status, an id, staff_only) or any unknown one — is refused with 400 naming the field, and
// writes nothing anywhere. Every operation of the served document that takes a body is covered.
import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';
import { Call, mapLimit, send } from './client';
import { settledFingerprint } from './database';
import { coverageProblems, DocumentedOperation } from './document';
import { freshCall } from './operations';
import { bootWalkingSuite, World } from './world';

describe('Mass assignment on every write (e2e)', () => {
  let testApp: TestApp;
  let world: World;
  let operations: DocumentedOperation[];
  let checks = 0;

  beforeAll(async () => {
    ({ testApp, world, operations } = await bootWalkingSuite());
  });
  afterAll(async () => {
    console.log(`security/mass-assignment: ${writes().length} operations with a body, ${checks} operation × field checks`);
    await testApp?.close();
  });

  const writes = () => operations?.filter((operation) => operation.bodyTypes.length > 0 && operation.table) ?? [];
  const smuggled = (): Record<string, string | boolean> => ({
    role: 'admin',
    requester_id: world.other.id,
    status: 'resolved',
    id: randomUUID(),
    staff_only: true,
    [`unknown_${randomUUID().slice(0, 8)}`]: 'x',
  });

  /** The same valid call with `extra` fields, in each encoding the operation accepts. */
  const withExtra = (operation: DocumentedOperation, call: Call, extra: Record<string, string | boolean>): Call[] => {
    if (call.form) return [{ ...call, form: { ...call.form, fields: { ...call.form.fields, ...stringsOf(extra) } } }];
    const body = { ...(call.body as object), ...extra };
    const variants: Call[] = [{ ...call, body }];
    if (operation.bodyTypes.includes('application/x-www-form-urlencoded')) {
      variants.push({ ...call, body: undefined, rawBody: { contentType: 'application/x-www-form-urlencoded', text: new URLSearchParams(stringsOf(body)).toString() } });
    }
    return variants;
  };

  it('the table covers exactly the operations of the served document', () => {
    expect(coverageProblems(operations)).toEqual([]);
    expect(writes().length).toBeGreaterThanOrEqual(11);
  });

  it('refuses privileged and unknown fields on every write with 400 naming the field, and writes nothing', async () => {
    const failures: string[] = [];
    for (const operation of writes()) {
      const { key, method, path, table } = operation;
      const call = await freshCall(table, world);
      const token = operation.public ? undefined : await world.freshToken(world.member(table.role));
      // Fields the body really has (PATCH /tickets takes a status, PATCH /users/{id}/role a role) are not smuggled.
      const extras = Object.entries(smuggled()).filter(([field]) => !(field in operation.bodyFields));
      const one = extras.map(([field, value]) => ({ fields: [field], extra: { [field]: value } }));
      // All at once too, except in a multipart body: there the upload's part limits refuse six fields first.
      const all = call.form ? [] : [{ fields: extras.map(([field]) => field), extra: Object.fromEntries(extras) }];
      const cases = [...one, ...all]
        .flatMap(({ fields, extra }) => withExtra(operation, call, extra).map((variant) => ({ fields, variant })));
      checks += cases.length;

      const before = await settledFingerprint(world);
      await mapLimit(cases, 4, async ({ fields, variant }) => {
        const reply = await send(world.url, method, path, variant, token);
        const named = fields.every((field) => String(reply.body?.detail).includes(field));
        if (reply.status !== 400 || !named) failures.push(`${key} with ${fields.join(', ')}${variant.rawBody ? ' (form)' : ''}: ${reply.status} ${reply.text.slice(0, 200)}`);
      });
      const after = await settledFingerprint(world);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${key}: refused requests changed ${changedTables(before, after).join(', ')}`);

      // The control: the same call without the extra fields succeeds, and the fingerprint sees its writes.
      const valid = await send(world.url, method, path, call, token);
      if (valid.status !== table.ok) failures.push(`${key} without extra fields: expected ${table.ok}, got ${valid.status} ${valid.text.slice(0, 200)}`);
      else if (JSON.stringify(await settledFingerprint(world)) === JSON.stringify(after)) failures.push(`${key}: the fingerprint did not see the valid call's writes`);
    }
    expect(failures).toEqual([]);
  });
});

function stringsOf(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}
