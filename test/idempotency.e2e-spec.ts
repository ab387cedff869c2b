// A client that did not hear back retries with the same Idempotency-Key and gets the first answer instead of
// filing again: POST /request, POST /tickets, comments and POST /hil, on the real database over HTTP.
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import pg from 'pg';
import request from 'supertest';
import { IdempotencyService } from '../src/idempotency/idempotency.service';
import { LlmService } from '../src/llm/llm.service';
import { TicketsService } from '../src/tickets/tickets.service';
import { RunWaiter } from '../src/workflow/run-waiter';
import { WorkflowRepository } from '../src/workflow/workflow.repository';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, waitForStatus } from './support/workflow';

const onServer = Boolean(process.env.TEST_DATABASE_URL);

describe('Idempotency-Key (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;

  beforeAll(async () => {
    // Every call here counts against the per-user allowance of new requests, replays too.
    testApp = await bootTestApp({ LIMIT_REQUESTS_PER_WINDOW: '1000' });
    url = testApp.url;
    admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  /** A request body with a title of its own, so that the tickets it filed can be counted. */
  const accessRequest = () => ({ ...ACCESS_REQUEST, title: `Admin access ${randomUUID()}` });
  const post = (token: string, path: string, key: string | undefined, body: Record<string, unknown>) => {
    const call = request(url).post(`/api/v1${path}`).auth(token, { type: 'bearer' });
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };
  const ticketsTitled = async (title: string) => (await testApp.sql(`SELECT id FROM tickets WHERE title = $1`, [title])).map((row) => row.id as string);
  const commentsSaying = async (body: string) => Number((await testApp.sql(`SELECT count(*)::int AS n FROM ticket_comments WHERE body = $1`, [body]))[0].n);
  const keysNamed = async (key: string) => Number((await testApp.sql(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [key]))[0].n);
  const eventsOf = async (ticketId: string, type: string) =>
    Number((await testApp.sql(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = $2`, [ticketId, type]))[0].n);
  /** Holds every ticket being filed inside its transaction until `release()`. */
  const holdFiling = () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const tickets = testApp.app.get(TicketsService);
    const create = tickets.create.bind(tickets);
    jest.spyOn(tickets, 'create').mockImplementation(async (...args) => {
      const created = await create(...args);
      entered();
      await held;
      return created;
    });
    return { inside, release };
  };

  describe('POST /request', () => {
    it('files once for two calls with one key: the second answers with the first status and body, even after the ticket changed', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const first = await post(alice.token, '/request', key, body).expect(201);
      expect(first.body).toMatchObject({ status: 'pending' });
      // The workflow moves the ticket on; the answer to a retry is still the first one.
      await waitForStatus(url, alice.token, first.body.ticket_id, ['waiting_for_approval']);

      const second = await post(alice.token, '/request', key, body).expect(201);
      expect(second.text).toBe(first.text);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await ticketsTitled(body.title)).toEqual([first.body.ticket_id]);
    });

    it('refuses the same key with a different body with 422, filing nothing more', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const first = await post(alice.token, '/request', key, body).expect(201);
      const changed = await post(alice.token, '/request', key, { ...body, priority: 'low' }).expect(422);
      expect(changed.body).toMatchObject({ statusCode: 422, message: expect.stringContaining('Idempotency-Key') });
      // The same key on another route is another request too.
      await post(alice.token, '/tickets', key, body).expect(422);
      expect(await ticketsTitled(body.title)).toEqual([first.body.ticket_id]);
    });

    it('takes a key as it comes after validation: whitespace that the validation trims is the same request', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const first = await post(alice.token, '/request', key, body).expect(201);
      const reordered = Object.fromEntries(Object.entries({ ...body, title: ` ${body.title}  ` }).reverse());
      const second = await post(alice.token, '/request', key, reordered).expect(201);
      expect(second.text).toBe(first.text);
      expect(await ticketsTitled(body.title)).toHaveLength(1);
    });

    it('keeps each user’s keys apart: another user’s call with the same key files their own ticket', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const mine = await post(alice.token, '/request', key, body).expect(201);
      const theirs = await post(bob.token, '/request', key, body).expect(201);
      expect(theirs.body.ticket_id).not.toBe(mine.body.ticket_id);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect((await ticketsTitled(body.title)).sort()).toEqual([mine.body.ticket_id, theirs.body.ticket_id].sort());
    });

    it('files exactly one ticket for concurrent calls with one key; the others answer as the first or 409', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const responses = await Promise.all(Array.from({ length: 6 }, () => post(alice.token, '/request', key, body)));
      const ids = await ticketsTitled(body.title);
      expect(ids).toHaveLength(1);
      for (const response of responses) {
        expect([201, 409]).toContain(response.status);
        if (response.status === 201) expect(response.body.ticket_id).toBe(ids[0]);
        else expect(response.body.message).toContain('Idempotency-Key');
      }
    });

    it('answers 409 to a call whose key is still in flight (on one connection, the embedded database serves it after the first)', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const hold = holdFiling();
      const first = post(alice.token, '/request', key, body).then((response) => response);
      await hold.inside;
      const second = post(alice.token, '/request', key, body).then((response) => response);
      if (onServer) {
        const refused = await second;
        expect(refused.status).toBe(409);
        expect(refused.body.message).toMatch(/Idempotency-Key.*still/);
      }
      hold.release();
      expect((await first).status).toBe(201);
      if (!onServer) expect((await second).text).toBe((await first).text);
      expect(await ticketsTitled(body.title)).toEqual([(await first).body.ticket_id]);
    });

    it('with ?wait=true waits after the commit: the first call and a waiting retry answer the paused state, a retry without wait the stored one', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const waited = await request(url).post('/api/v1/request?wait=true').auth(alice.token, { type: 'bearer' }).set('Idempotency-Key', key).send(body).expect(201);
      expect(waited.body).toMatchObject({ status: 'waiting_for_approval' });
      const again = await request(url).post('/api/v1/request?wait=true').auth(alice.token, { type: 'bearer' }).set('Idempotency-Key', key).send(body).expect(201);
      expect(again.body).toEqual(waited.body);
      const stored = await post(alice.token, '/request', key, body).expect(201);
      expect(stored.body).toMatchObject({ ticket_id: waited.body.ticket_id, status: 'pending' });
      expect(await ticketsTitled(body.title)).toEqual([waited.body.ticket_id]);
    });

    it('leaves neither the ticket nor the key when the call fails after the write; a retry with the key then files once', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const tickets = testApp.app.get(TicketsService);
      const create = tickets.create.bind(tickets);
      jest.spyOn(tickets, 'create').mockImplementationOnce(async (...args) => {
        await create(...args);
        throw new Error('injected failure after the write');
      });
      await post(alice.token, '/request', key, body).expect(500);
      expect(await ticketsTitled(body.title)).toEqual([]);
      expect(await keysNamed(key)).toBe(0);
      const retried = await post(alice.token, '/request', key, body).expect(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(await ticketsTitled(body.title)).toEqual([retried.body.ticket_id]);
    });

    it('forgets a key after 24 h: an expired key files anew, and the purge deletes what has expired', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const first = await post(alice.token, '/request', key, body).expect(201);
      await testApp.sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
      const later = await post(alice.token, '/request', key, body).expect(201);
      expect(later.body.ticket_id).not.toBe(first.body.ticket_id);
      expect(await keysNamed(key)).toBe(1);

      const purge = testApp.app.get(IdempotencyService);
      await purge.purgeExpired();
      expect(await keysNamed(key)).toBe(1);
      expect(await purge.purgeExpired(new Date(Date.now() + 25 * 60 * 60 * 1000))).toBeGreaterThanOrEqual(1);
      expect(await keysNamed(key)).toBe(0);
    });

    it.each([
      ['longer than 255 characters', 'k'.repeat(256)],
      ['not printable ASCII', 'café-retry'],
      ['holding a tab', 'a\tb'],
    ])('refuses a key %s with 400, filing nothing', async (_what, key) => {
      const body = accessRequest();
      const refused = await post(alice.token, '/request', key, body).expect(400);
      expect(JSON.stringify(refused.body.message)).toContain('Idempotency-Key');
      expect(await ticketsTitled(body.title)).toEqual([]);
    });

    it('costs no statement without the header, and two with it (a first call and a replay alike)', async () => {
      const statements: string[] = [];
      const query = pg.Client.prototype.query;
      jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
        if (text?.includes('idempotency_keys')) statements.push(text);
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as never);
      await post(alice.token, '/request', undefined, accessRequest()).expect(201);
      expect(statements).toHaveLength(0);
      const key = randomUUID();
      const body = accessRequest();
      await post(alice.token, '/request', key, body).expect(201);
      expect(statements).toHaveLength(2);
      await post(alice.token, '/request', key, body).expect(201);
      expect(statements).toHaveLength(4);
    });
  });

  describe('POST /tickets and comments', () => {
    it('files one ticket for two calls with one key, with the same answer', async () => {
      const key = randomUUID();
      const body = accessRequest();
      const first = await post(alice.token, '/tickets', key, body).expect(201);
      const second = await post(alice.token, '/tickets', key, body).expect(201);
      expect(second.text).toBe(first.text);
      expect(await ticketsTitled(body.title)).toEqual([first.body.ticket_id]);
    });

    it('adds one comment for two calls with one key, and refuses the key on another ticket with 422', async () => {
      const ticketId = (await post(alice.token, '/tickets', undefined, accessRequest()).expect(201)).body.ticket_id as string;
      const other = (await post(alice.token, '/tickets', undefined, accessRequest()).expect(201)).body.ticket_id as string;
      const key = randomUUID();
      const text = `Still broken ${randomUUID()}`;
      const first = await post(alice.token, `/tickets/${ticketId}/comments`, key, { body: text }).expect(201);
      const second = await post(alice.token, `/tickets/${ticketId}/comments`, key, { body: text }).expect(201);
      expect(second.text).toBe(first.text);
      await post(alice.token, `/tickets/${other}/comments`, key, { body: text }).expect(422);
      expect(await commentsSaying(text)).toBe(1);
    });
  });

  describe('POST /hil', () => {
    it('records one approval for two calls with one key: the second answers as the first, and the trail holds one hil_response', async () => {
      // The runs a keyed call queues are claimed after its commit, never inside its transaction.
      const claimedInTransaction: boolean[] = [];
      const runs = testApp.app.get(WorkflowRepository);
      const claim = runs.claim.bind(runs);
      jest.spyOn(runs, 'claim').mockImplementation((...args) => {
        claimedInTransaction.push(testApp.app.get(TransactionHost).isTransactionActive());
        return claim(...args);
      });
      const filed = await request(url).post('/api/v1/request?wait=true').auth(alice.token, { type: 'bearer' }).send(accessRequest()).expect(201);
      expect(filed.body.status).toBe('waiting_for_approval');
      const ticketId = filed.body.ticket_id as string;
      const key = randomUUID();
      const first = await post(support.token, `/hil/${ticketId}`, key, { approval: true, comments: 'Granted for 30 days' }).expect(200);
      expect(first.body).toMatchObject({ decision: 'approved' });
      const second = await post(support.token, `/hil/${ticketId}`, key, { approval: true, comments: 'Granted for 30 days' }).expect(200);
      expect(second.text).toBe(first.text);
      expect(await eventsOf(ticketId, 'hil_response')).toBe(1);
      // The run was resumed after the commit, and ends as approved.
      expect(await waitForStatus(url, alice.token, ticketId, ['resolved', 'error'])).toMatchObject({ status: 'resolved', decision: 'approved' });
      expect(await eventsOf(ticketId, 'hil_response')).toBe(1);
      expect(claimedInTransaction.length).toBeGreaterThan(0);
      expect(claimedInTransaction.filter(Boolean)).toEqual([]);
    });

    it('answers at once with 409 while the run is still busy, instead of waiting inside the key’s transaction; the key then works', async () => {
      // The run is held while it composes its plan: busy for as long as the test wants.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const llm = testApp.app.get(LlmService);
      const compose = llm.composePlan.bind(llm);
      jest.spyOn(llm, 'composePlan').mockImplementation(async (...args) => {
        await held;
        return compose(...args);
      });
      // No wait sleeps inside a transaction (on the embedded database it would hold the only connection).
      const waitedInTransaction: boolean[] = [];
      const waiter = testApp.app.get(RunWaiter) as unknown as { nextWake: (...args: unknown[]) => Promise<void> };
      const nextWake = waiter.nextWake.bind(waiter);
      jest.spyOn(waiter, 'nextWake').mockImplementation((...args) => {
        waitedInTransaction.push(testApp.app.get(TransactionHost).isTransactionActive());
        return nextWake(...args);
      });
      const ticketId = (await post(alice.token, '/request', undefined, accessRequest()).expect(201)).body.ticket_id as string;
      const key = randomUUID();
      const busy = await post(support.token, `/hil/${ticketId}`, key, { approval: true }).expect(409);
      expect(busy.body.message).toContain('still running');
      expect(await keysNamed(key)).toBe(0);
      expect(waitedInTransaction.filter(Boolean)).toEqual([]);
      release();
      await waitForStatus(url, alice.token, ticketId, ['waiting_for_approval']);
      // The ticket shows waiting_for_approval a moment before its run records the pause: wait for the run.
      for (let tries = 0; tries < 600 && (await testApp.sql(`SELECT state FROM workflow_runs WHERE ticket_id = $1`, [ticketId]))[0]?.state !== 'waiting'; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const approved = await post(support.token, `/hil/${ticketId}`, key, { approval: true }).expect(200);
      expect(approved.headers['idempotent-replayed']).toBeUndefined();
      expect(approved.body.decision).toBe('approved');
      expect(await eventsOf(ticketId, 'hil_response')).toBe(1);
    });
  });

  it('documents the header, with 409 and 422, on each operation that takes it', async () => {
    const document = (await request(url).get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/api/v1/request', 'post'],
      ['/api/v1/tickets', 'post'],
      ['/api/v1/tickets/{ticket_id}/comments', 'post'],
      ['/api/v1/hil/{ticket_id}', 'post'],
    ]) {
      const operation = document.paths[path][method];
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
    }
  });
});
