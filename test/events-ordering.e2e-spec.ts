// The guarantee the live streams and Last-Event-ID replay rest on: a reader that has seen event N has seen
// every event below N, however many transactions append at once and however long each stays open. Only a
// database server can show it (the embedded one runs one transaction at a time), so this suite runs on
// PostgreSQL; it is the test any replacement of the event-order lock must pass.
import { TransactionHost } from '@nestjs-cls/transactional';
import { EventsService } from '../src/events/events.service';
import { TicketEventType } from '../src/tickets/ticket-events';
import { TicketsRepository } from '../src/tickets/tickets.repository';
import { signInAdmin, signUp } from './support/http';
import { openStream } from './support/sse';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

const WRITERS = 24;
const EVENTS_PER_WRITER = 5;
const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

onServer('Event order under concurrent appends (e2e, PostgreSQL)', () => {
  let testApp: TestApp;
  let url: string;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, EVENTS_POLL_SECONDS: '1' });
    url = testApp.url;
  });
  afterAll(() => testApp.close());

  it('delivers every event once and in id order to a live reader, and replays exactly what followed an id', async () => {
    const admin = await signInAdmin(url);
    const alice = await signUp(url);
    const tickets = await Promise.all(Array.from({ length: 4 }, () => createTicket(url, alice.token)));
    const live = await openStream(`${url}/api/v1/events`, { token: admin.token });
    const txHost = testApp.app.get(TransactionHost);
    const repository = testApp.app.get(TicketsRepository);
    const events = testApp.app.get(EventsService);

    // Each writer appends an event and keeps its transaction open for a different while, so that later ids
    // commit before earlier ones unless something orders them; the reader pumps after every commit.
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let round = 0; round < EVENTS_PER_WRITER; round += 1) {
          const id = await txHost.withTransaction(async () => {
            const event = await repository.appendEvent({
              ticketId: tickets[(writer + round) % tickets.length].ticket_id,
              type: TicketEventType.Comment,
              actorId: null,
              staffOnly: false,
              payload: { body: `writer ${writer} round ${round}` },
            });
            await sleep(((writer * 7 + round * 13) % 40) + 1);
            return event.id;
          });
          written.push(id);
          void events.pump();
        }
      }),
    );
    await events.pump();

    const appended = written.map(Number).sort((a, b) => a - b);
    const last = String(appended.at(-1));
    try {
      await live.waitFor((message) => message.id === last, 10_000);
      const received = live.messages.filter((message) => message.data.type === 'comment').map((message) => Number(message.id));
      expect(received).toEqual(appended);

      const from = appended[Math.floor(appended.length / 2)];
      const replay = await openStream(`${url}/api/v1/events`, { token: admin.token, lastEventId: String(from) });
      try {
        await replay.waitFor((message) => message.id === last, 10_000);
        const replayed = replay.messages.filter((message) => message.data.type === 'comment').map((message) => Number(message.id));
        expect(replayed).toEqual(appended.filter((id) => id > from));
      } finally {
        replay.close();
      }
    } finally {
      live.close();
    }
  });
});
