// The guarantee the live streams and Last-Event-ID replay rest on: a reader that has seen event N has seen
// every event below N, however many transactions append at once and however long each stays open. Only a
// database server can show it (the embedded one runs one transaction at a time), so this suite runs on
// PostgreSQL; it is the test any replacement of the event-order lock must pass.
import { TransactionHost } from '@nestjs-cls/transactional';
import { Client } from 'pg';
import { EventPump } from '../src/events/event-pump';
import { TicketEventType } from '../src/tickets/ticket-events';
import { TicketsRepository } from '../src/tickets/tickets.repository';
import { signInAdmin, signUp } from './support/http';
import { openStream, TestStream } from './support/sse';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

const WRITERS = 24;
const EVENTS_PER_WRITER = 5;
const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;
class RolledBack extends Error {}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

onServer('Event order under concurrent appends (e2e, PostgreSQL)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, EVENTS_POLL_SECONDS: '1' });
    url = testApp.url;
  });
  afterAll(() => testApp.close());

  /**
   * Each writer appends events keeping its transaction open for a different while, so that later ids commit
   * before earlier ones unless something orders them; every fifth transaction rolls back, leaving a gap in
   * the ids for good. The reader pumps after every commit. Returns the ids committed.
   */
  async function appendConcurrently(ticketIds: string[], writers: number): Promise<number[]> {
    const txHost = testApp.app.get(TransactionHost);
    const repository = testApp.app.get(TicketsRepository);
    const events = testApp.app.get(EventPump);
    const written: number[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let round = 0; round < EVENTS_PER_WRITER; round += 1) {
          const rollBack = (writer + round) % 5 === 0;
          const id = await txHost.withTransaction(async () => {
            const event = await repository.appendEvent({
              ticketId: ticketIds[(writer + round) % ticketIds.length],
              type: TicketEventType.Comment,
              actorId: null,
              staffOnly: false,
              payload: { body: `writer ${writer} round ${round}` },
            });
            await sleep(((writer * 7 + round * 13) % 40) + 1);
            if (rollBack) throw new RolledBack();
            return event.id;
          }).catch((error: unknown) => (error instanceof RolledBack ? null : Promise.reject(error)));
          if (id !== null) written.push(Number(id));
          void events.pump();
        }
      }),
    );
    await events.pump();
    return written.sort((a, b) => a - b);
  }

  const commentIds = (stream: TestStream) => stream.messages.filter((message) => message.data.type === 'comment').map((message) => Number(message.id));

  it('delivers every event once and in id order to a live reader, and replays exactly what followed an id', async () => {
    const admin = await signInAdmin(url);
    const alice = await signUp(url);
    const tickets = await Promise.all(Array.from({ length: 4 }, () => createTicket(url, alice.token)));
    const live = await openStream(`${url}/api/v1/events`, { token: admin.token });
    try {
      const appended = await appendConcurrently(tickets.map((ticket) => ticket.ticket_id), WRITERS);
      const last = String(appended.at(-1));
      await live.waitFor((message) => message.id === last, 30_000);
      expect(commentIds(live)).toEqual(appended);

      const from = appended[Math.floor(appended.length / 2)];
      const replay = await openStream(`${url}/api/v1/events`, { token: admin.token, lastEventId: String(from) });
      try {
        await replay.waitFor((message) => message.id === last, 30_000);
        expect(commentIds(replay)).toEqual(appended.filter((id) => id > from));
      } finally {
        replay.close();
      }
    } finally {
      live.close();
    }
  });

  it('delivers an event whose writer is unlisted in the snapshot that first saw the gap (its id at the snapshot xmax)', async () => {
    // T1 draws an id, T2 (a younger transaction id) draws the next, T1 draws another and commits. A read
    // then sees T1's two events around T2's gap, and its snapshot lists nothing: T2's id is its xmax,
    // which PostgreSQL counts as in flight without listing it.
    const txHost = testApp.app.get(TransactionHost);
    const repository = testApp.app.get(TicketsRepository);
    const events = testApp.app.get(EventPump);
    const admin = await signInAdmin(url);
    const alice = await signUp(url);
    const { ticket_id: ticketId } = await createTicket(url, alice.token);
    await events.pump();
    const live = await openStream(`${url}/api/v1/events`, { token: admin.token });
    const append = (body: string) => repository.appendEvent({ ticketId, type: TicketEventType.Comment, actorId: null, staffOnly: false, payload: { body } });
    let t2Appended!: () => void;
    let readDone!: () => void;
    const t2Drew = new Promise<void>((resolve) => (t2Appended = resolve));
    const t2MayCommit = new Promise<void>((resolve) => (readDone = resolve));
    try {
      const ids: string[] = [];
      const t1 = txHost.withTransaction(async () => {
        ids.push((await append('t1 first')).id);
        await t2Drew;
        ids.push((await append('t1 second')).id);
      });
      const t2 = txHost.withTransaction(async () => {
        await sleep(20); // after T1 has its transaction id
        ids.push((await append('t2')).id);
        t2Appended();
        await t2MayCommit;
      });
      await t1;
      await events.pump(); // the read that sees T1's events around T2's
      readDone();
      await t2;
      await events.pump();
      const sorted = ids.map(Number).sort((a, b) => a - b);
      await live.waitFor((message) => message.id === String(sorted.at(-1)), 30_000);
      expect(commentIds(live)).toEqual(sorted);
    } finally {
      live.close();
    }
  });

  it('keeps delivering while a transaction that writes no event stays open, even in another database', async () => {
    // A reader that waited for every transaction in flight would stall here until this one ends.
    const idle = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await idle.connect();
    await idle.query('BEGIN');
    await idle.query('SELECT pg_current_xact_id()');
    const admin = await signInAdmin(url);
    const alice = await signUp(url);
    const tickets = await Promise.all(Array.from({ length: 2 }, () => createTicket(url, alice.token)));
    const live = await openStream(`${url}/api/v1/events`, { token: admin.token });
    try {
      const appended = await appendConcurrently(tickets.map((ticket) => ticket.ticket_id), WRITERS / 2);
      await live.waitFor((message) => message.id === String(appended.at(-1)), 30_000);
      expect(commentIds(live)).toEqual(appended);
    } finally {
      live.close();
      await idle.query('ROLLBACK');
      await idle.end();
    }
  });
});
