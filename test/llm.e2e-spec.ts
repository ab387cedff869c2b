import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import request from 'supertest';
import { EMBEDDING_MODEL } from '../src/models/model.factory';
import { RESOLUTION_MODEL, ResolutionModel } from '../src/models/resolution-model';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { makeCorruptDocx, makeDocx, makePdf, makeZipBomb } from './support/fixtures';
import { createTicket, patchTicket } from './support/tickets';

const SEEDS = join(__dirname, '..', '..', 'shared', 'seeds');
const seed003 = readFileSync(join(SEEDS, readdirSync(SEEDS).find((file) => file.startsWith('003_'))!));

const TONER_PDF = makePdf(
  [
    'Printer maintenance guide. This guide covers the office laser printers on every floor.',
    'Replacing the toner cartridge. Open the front cover, pull out the empty toner cartridge and slide in the new one until it clicks. Print a test page.',
  ],
  { title: 'Printer maintenance guide' },
);
const WIFI_DOCX = makeDocx([
  { heading: 'Guest Wi-Fi' },
  'Visitors connect to the GUEST network. The guest password changes every Monday and is printed at reception.',
  { heading: 'Staff Wi-Fi' },
  'Staff laptops join CORP automatically with their device certificate; reinstall the certificate from the portal if the laptop cannot connect.',
]);

describe('Knowledge base and LLM (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let admin: { token: string; id: string };
  let support: SignedIn;
  let user: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, MAX_UPLOAD_MB: '1', MAX_UNCOMPRESSED_MB: '5' });
    url = testApp.url;
    admin = await signInAdmin(url);
    support = await signUpAs(url, admin.token, 'support');
    user = await signUp(url);
  });
  afterAll(() => testApp.close());

  const upload = (token: string, content: Buffer, filename: string, path = '/api/v1/llm/ingest_doc') =>
    request(url).post(path).auth(token, { type: 'bearer' }).attach('file', content, filename);
  const documentCount = async () => (await request(url).get('/api/v1/llm/documents').auth(support.token, { type: 'bearer' }).expect(200)).body.total;
  const search = (q: string, k = 5) => request(url).get('/api/v1/llm/search').query({ q, k }).auth(support.token, { type: 'bearer' });
  /** Tickets are embedded in the background once filed (and again once resolved): waits until search finds them all. */
  const waitUntilIndexed = async (ticketIds: string[], q: string) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = new Set((await search(q, 20).expect(200)).body.similar_tickets.map((t: { ticket_id: string }) => t.ticket_id));
      if (ticketIds.every((id) => found.has(id))) return;
      if (Date.now() > deadline) throw new Error(`Tickets not indexed within 5 s: ${ticketIds.filter((id) => !found.has(id)).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  describe('ingestion', () => {
    it('ingests the IT Ticketing System contract’s README as Markdown, keeping each chunk’s heading (at the seed’s path with a trailing slash)', async () => {
      const response = await upload(support.token, seed003, 'it-ticketing-system.md', '/api/v1/llm/ingest_doc/').expect(201);
      expect(response.body).toEqual({ document_id: expect.any(String), title: 'IT Ticketing System', chunks: expect.any(Number), characters: expect.any(Number) });
      expect(response.body.chunks).toBeGreaterThan(3);
      const detail = await request(url).get(`/api/v1/llm/documents/${response.body.document_id}`).auth(support.token, { type: 'bearer' }).expect(200);
      expect(detail.body).toMatchObject({ title: 'IT Ticketing System', mime_type: 'text/markdown', filename: 'it-ticketing-system.md', chunks: response.body.chunks });
      const headings = detail.body.chunk_list.map((chunk: { heading: string | null }) => chunk.heading);
      expect(headings).toEqual(expect.arrayContaining(['Documentation Ingestion', 'User Roles']));
      expect(detail.body.chunk_list.map((chunk: { position: number }) => chunk.position)).toEqual(headings.map((_: unknown, index: number) => index));
    });

    it('ingests a PDF with each chunk’s page, and a DOCX with its headings', async () => {
      const pdf = await upload(support.token, TONER_PDF, 'printers.pdf').expect(201);
      expect(pdf.body.title).toBe('Printer maintenance guide');
      const pdfChunks = (await request(url).get(`/api/v1/llm/documents/${pdf.body.document_id}`).auth(support.token, { type: 'bearer' })).body.chunk_list;
      expect(pdfChunks.find((chunk: { text: string }) => chunk.text.includes('toner cartridge')).page).toBe(2);
      const docx = await upload(admin.token, WIFI_DOCX, 'wifi.docx').expect(201);
      const docxDetail = await request(url).get(`/api/v1/llm/documents/${docx.body.document_id}`).auth(support.token, { type: 'bearer' });
      expect(docxDetail.body.mime_type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(docxDetail.body.chunk_list.map((chunk: { text: string }) => chunk.text).join(' ')).toContain('GUEST network');
    });

    it('recognises a document by its content, not its name', async () => {
      const response = await upload(support.token, makePdf(['Badge readers: hold the badge flat against the reader for two seconds.']), 'badges.txt').expect(201);
      const detail = await request(url).get(`/api/v1/llm/documents/${response.body.document_id}`).auth(support.token, { type: 'bearer' });
      expect(detail.body.mime_type).toBe('application/pdf');
    });

    it('refuses the same file twice with 409 pointing at the existing document', async () => {
      const first = await upload(support.token, Buffer.from('# Locker codes\n\nLocker codes reset every quarter at the front desk.\n'), 'lockers.md').expect(201);
      const again = await upload(support.token, Buffer.from('# Locker codes\n\nLocker codes reset every quarter at the front desk.\n'), 'renamed.md').expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, document_id: first.body.document_id });
      expect(again.body.detail).toContain(first.body.document_id);
    });

    it.each([
      ['an image', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'diagram.pdf', 415],
      ['a spreadsheet (a zip, but no DOCX)', () => Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') })), 'sheet.docx', 415],
      ['a corrupt PDF', () => Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage'), 'broken.pdf', 422],
      ['a corrupt DOCX', () => makeCorruptDocx(), 'broken.docx', 422],
      ['a zip bomb', () => makeZipBomb(30 * 1024 * 1024), 'bomb.docx', 422],
      ['an empty text file', () => Buffer.from('   \n\n'), 'empty.md', 422],
      ['a file over MAX_UPLOAD_MB', () => Buffer.alloc(1024 * 1024 + 10, 'a'), 'huge.txt', 413],
    ])('refuses %s with its status and a message, storing nothing', async (_case, content, filename, status) => {
      const before = await documentCount();
      const response = await upload(support.token, content() as Buffer, filename).expect(status);
      expect(response.body.detail).toEqual(expect.any(String));
      expect(await documentCount()).toBe(before);
    });

    it('needs a file in the field "file", and support or admin', async () => {
      await request(url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).expect(400);
      await request(url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('document', Buffer.from('# x\n\ntext'), 'x.md').expect(400);
      const before = await documentCount();
      await upload(user.token, Buffer.from('# Sneaky\n\nA user may not add knowledge.'), 'sneaky.md').expect(403);
      expect(await documentCount()).toBe(before);
    });
  });

  describe('search', () => {
    it('finds the document that answers a question first, with its title, heading or page and a score', async () => {
      const toner = await search('how do I replace the toner cartridge in the printer?').expect(200);
      expect(toner.body.results[0]).toMatchObject({ title: 'Printer maintenance guide', page: 2, score: expect.any(Number) });
      const ingestion = await search('How can I add PDF or DOCX documentation to the knowledge base?').expect(200);
      expect(ingestion.body.results[0]).toMatchObject({ title: 'IT Ticketing System', heading: expect.any(String) });
      const wifi = await search('what is the guest wifi password').expect(200);
      expect(wifi.body.results[0].text).toContain('GUEST network');
      const documents = toner.body.results.map((result: { document_id: string }) => result.document_id);
      expect(new Set(documents).size).toBe(documents.length);
    });

    it('returns similar past tickets', async () => {
      const ticket = await createTicket(url, user.token, { title: 'Toner cartridge empty on floor 3', description: 'The printer says replace toner', request_type: 'hardware' });
      const deadline = Date.now() + 5000;
      let similar: Array<{ ticket_id: string }> = [];
      while (Date.now() < deadline && !similar.some((t) => t.ticket_id === ticket.ticket_id)) {
        similar = (await search('printer toner cartridge is empty').expect(200)).body.similar_tickets;
        if (!similar.some((t) => t.ticket_id === ticket.ticket_id)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(similar[0]).toMatchObject({ ticket_id: ticket.ticket_id, title: 'Toner cartridge empty on floor 3', status: 'pending' });
    });

    it('never returns the chunks of a document still being stored, even when they are the nearest vectors', async () => {
      const question = 'badge reader beeps twice at the turnstile';
      const queryVector = await testApp.app.get<{ embeddings: { embedQuery(text: string): Promise<number[]> } }>(EMBEDDING_MODEL).embeddings.embedQuery(question);
      // Chunks whose vector is the query's own, in words the full-text half cannot match: only the vector
      // half finds them, so only its filter keeps an unfinished document out.
      const [unfinished] = await testApp.sql<{ id: string }>(
        `INSERT INTO documents (title, filename, mime_type, sha256, size_bytes, characters, chunk_count, embedding_model, uploader_id)
         VALUES ('Half-stored runbook', 'half.md', 'text/markdown', repeat('c', 64), 10, 10, 2, 'offline:hashed-ngrams-v1', $1)
         RETURNING id`,
        [admin.id],
      );
      await testApp.sql(
        `INSERT INTO document_chunks (document_id, position, text, context, lead, embedding)
         SELECT $1, n, 'Zzyzx qwop frobnicate', 'Half-stored runbook', '', $2::vector FROM generate_series(1, 2) AS n`,
        [unfinished.id, `[${queryVector.join(',')}]`],
      );
      try {
        for (const mode of ['hybrid', 'vector']) {
          const found = (await search(question).query({ mode }).expect(200)).body.results.map((hit: { document_id: string }) => hit.document_id);
          expect(found).not.toContain(unfinished.id);
        }
        // The same chunks, once their document is ready, are the first hit: the test would see them.
        await testApp.sql(`UPDATE documents SET ready = true WHERE id = $1`, [unfinished.id]);
        expect((await search(question).query({ mode: 'vector' }).expect(200)).body.results[0].document_id).toBe(unfinished.id);
      } finally {
        await testApp.sql(`DELETE FROM documents WHERE id = $1`, [unfinished.id]);
      }
    });

    it('validates q and k, and is for support and admin', async () => {
      await search('').expect(400);
      await search('printer', 21).expect(400);
      await request(url).get('/api/v1/llm/search?q=printer').auth(user.token, { type: 'bearer' }).expect(403);
    });
  });

  describe('resolve_ticket', () => {
    it('suggests steps citing the document that answers the ticket, stores them on the ticket and streams them to staff', async () => {
      const ticket = await createTicket(url, user.token, {
        title: 'How do I ingest our VPN manual into the knowledge base?',
        description: 'I have a PDF manual. Which endpoint ingests documents, and which form field carries the file?',
        request_type: 'other',
      });
      const response = await request(url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201);
      expect(response.body).toMatchObject({ ticket_id: ticket.ticket_id, provider: 'offline', summary: expect.stringContaining('IT Ticketing System') });
      expect(response.body.steps.length).toBeGreaterThan(0);
      expect(response.body.steps.join(' ')).toMatch(/ingest_doc|multipart|form field/i);
      expect(response.body.citations[0]).toEqual({ document_id: expect.any(String), chunk_id: expect.any(String), title: 'IT Ticketing System' });
      expect(response.body.confidence).toBeGreaterThan(0);
      const stored = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(200);
      expect(stored.body.suggestion).toEqual({ ...response.body, ticket_id: undefined });
      const trail = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(support.token, { type: 'bearer' }).expect(200);
      expect(trail.body.events.at(-1)).toMatchObject({ type: 'workflow_update', actor_id: support.id, payload: { change: 'suggestion' } });
      // Written for the support engineer: the requester sees neither the suggestion nor its event.
      const own = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}`).auth(user.token, { type: 'bearer' }).expect(200);
      expect(own.body).not.toHaveProperty('suggestion');
      const ownTrail = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(user.token, { type: 'bearer' }).expect(200);
      expect(ownTrail.body.events.map((event: { payload: { change?: string } }) => event.payload.change)).not.toContain('suggestion');
    });

    it('gives the model the resolutions of similar resolved tickets even when open ones are nearer, never the ticket itself', async () => {
      const fan = { title: 'Laptop fan is loud', description: 'The laptop fan runs loud and grinds all day', request_type: 'hardware' };
      const fixed = await createTicket(url, user.token, { ...fan, title: 'Laptop fan grinding', description: 'My laptop fan grinds when the laptop gets warm' });
      await patchTicket(url, support.token, fixed.ticket_id, { status: 'resolved', comment: 'Replaced the fan under warranty' }).expect(200);
      const closedSilently = await createTicket(url, user.token, fan);
      await patchTicket(url, support.token, closedSilently.ticket_id, { status: 'resolved' }).expect(200);
      // Open tickets worded exactly like the one to resolve: the nearest vectors, but nothing to learn from.
      const open = [];
      for (let i = 0; i < 6; i++) open.push(await createTicket(url, user.token, fan));
      const ticket = await createTicket(url, user.token, fan);
      await waitUntilIndexed([fixed, closedSilently, ...open, ticket].map((t) => t.ticket_id), 'laptop fan loud grinding');
      const suggest = jest.spyOn(testApp.app.get<ResolutionModel>(RESOLUTION_MODEL), 'suggest');

      await request(url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201);
      await request(url).post(`/api/v1/llm/resolve_ticket/${fixed.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201);

      const [forOpen, forFixed] = suggest.mock.calls.map(([input]) => input.pastResolutions);
      suggest.mockRestore();
      expect(forOpen).toEqual(['Replaced the fan under warranty']);
      expect(forFixed).toEqual([]);
    });

    it('says plainly when the knowledge base has nothing relevant', async () => {
      const ticket = await createTicket(url, user.token, { title: 'Zzyzx qwertyuiop', description: 'Xylophone marmalade', request_type: 'other' });
      const response = await request(url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201);
      expect(response.body).toMatchObject({ summary: 'I could not find a how-to for this; a support engineer will take it.', steps: [], citations: [], confidence: 0 });
    });

    it('is for support and admin, and 404s an unknown ticket', async () => {
      const ticket = await createTicket(url, user.token);
      await request(url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(user.token, { type: 'bearer' }).expect(403);
      await request(url).post('/api/v1/llm/resolve_ticket/00000000-0000-4000-8000-000000000000').auth(support.token, { type: 'bearer' }).expect(404);
    });
  });

  describe('documents', () => {
    it('lists, shows and deletes documents; a deleted document is no longer found', async () => {
      const doc = await upload(support.token, Buffer.from('# Parking\n\nParking permits for the basement garage are issued by facilities.\n'), 'parking.md').expect(201);
      const list = await request(url).get('/api/v1/llm/documents?limit=100').auth(support.token, { type: 'bearer' }).expect(200);
      expect(list.body.documents.map((d: { document_id: string }) => d.document_id)).toContain(doc.body.document_id);
      expect((await search('basement garage parking permits').expect(200)).body.results[0].document_id).toBe(doc.body.document_id);
      await request(url).delete(`/api/v1/llm/documents/${doc.body.document_id}`).auth(admin.token, { type: 'bearer' }).expect(204);
      await request(url).get(`/api/v1/llm/documents/${doc.body.document_id}`).auth(support.token, { type: 'bearer' }).expect(404);
      const after = await search('basement garage parking permits').expect(200);
      expect(after.body.results.map((r: { document_id: string }) => r.document_id)).not.toContain(doc.body.document_id);
      await request(url).delete(`/api/v1/llm/documents/${doc.body.document_id}`).auth(admin.token, { type: 'bearer' }).expect(404);
    });

    it('lets any signed-in user open a document with its chunks (a resolution may cite it), while listing, ingesting and deleting stay support and admin', async () => {
      const doc = await upload(support.token, Buffer.from('# Badge reader\n\nA badge that stops opening doors is re-enabled at the security desk.\n'), 'badges.md').expect(201);
      const shown = await request(url).get(`/api/v1/llm/documents/${doc.body.document_id}`).auth(user.token, { type: 'bearer' }).expect(200);
      expect(shown.body).toMatchObject({ document_id: doc.body.document_id, title: 'Badge reader' });
      expect(shown.body.chunk_list).toEqual([expect.objectContaining({ text: expect.stringContaining('re-enabled at the security desk') })]);
      await request(url).get('/api/v1/llm/documents/00000000-0000-4000-8000-000000000000').auth(user.token, { type: 'bearer' }).expect(404);

      await request(url).get('/api/v1/llm/documents').auth(user.token, { type: 'bearer' }).expect(403);
      await upload(user.token, Buffer.from('# Sneaky\n\nA user may not add knowledge either.'), 'sneaky-too.md').expect(403);
      await request(url).delete(`/api/v1/llm/documents/${doc.body.document_id}`).auth(user.token, { type: 'bearer' }).expect(403);
      await request(url).get(`/api/v1/llm/documents/${doc.body.document_id}`).expect(401);
      await request(url).get(`/api/v1/llm/documents/${doc.body.document_id}`).auth(support.token, { type: 'bearer' }).expect(200);
    });
  });
});
