// What a failing model or a changed embedding model does to the knowledge base: clear 5xx answers,
// nothing half-written, and no mixing of vectors from different models.
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import pgvector from 'pgvector';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { Reembedding } from '../src/knowledge/reembedding.service';
import { EMBEDDING_MODEL, EmbeddingModel } from '../src/models/model.factory';
import { ModelUnavailableError, RESOLUTION_MODEL, ResolutionModel } from '../src/models/resolution-model';
import { bootTestApp, startContext, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { signInAdmin, signUpAs, SignedIn } from './support/http';
import { createTicket } from './support/tickets';

/** Modules that only the server may start: the workflow queue, the event pump, sign-in and its start-up checks. */
const APP_ONLY_MODULES = ['WorkflowModule', 'EventsModule', 'AuthModule', 'InitialAdminModule', 'StaleVectorsCheckModule', 'LlmModule', 'ProjectionsModule'];

const MANUAL = Buffer.from('# Badge readers\n\nHold the badge flat against the reader for two seconds until it beeps.\n');

describe('Knowledge base failures (e2e)', () => {
  let testApp: TestApp;
  let support: SignedIn;

  beforeAll(async () => {
    testApp = await bootTestApp(WITHOUT_WORKFLOW);
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const documents = async () =>
    (await request(testApp.url).get('/api/v1/llm/documents').auth(support.token, { type: 'bearer' }).expect(200)).body.total;

  it('answers 503 when the embedding model fails during ingestion, and stores nothing', async () => {
    const { embeddings } = testApp.app.get<EmbeddingModel>(EMBEDDING_MODEL);
    jest.spyOn(embeddings, 'embedDocuments').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:11434'));
    const before = await documents();
    const response = await request(testApp.url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', MANUAL, 'badges.md').expect(503);
    expect(response.body.detail).toBe('The embedding model (offline:hashed-ngrams-v1) failed: connect ECONNREFUSED 127.0.0.1:11434');
    expect(await documents()).toBe(before);
  });

  it.each([
    ['fails', new ModelUnavailableError('The language model (gemini:gemini-2.5-flash) failed: 429 quota exceeded'), 502],
    ['times out', new ModelUnavailableError('The language model (gemini:gemini-2.5-flash) did not answer in time', true), 503],
  ])('answers %s from the chat model with its status and message, and leaves the ticket as it was', async (_case, error, status) => {
    const ticket = await createTicket(testApp.url, support.token);
    const trailBefore = (await request(testApp.url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(support.token, { type: 'bearer' })).body.count;
    jest.spyOn(testApp.app.get<ResolutionModel>(RESOLUTION_MODEL), 'suggest').mockRejectedValue(error);

    const response = await request(testApp.url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(status);

    expect(response.body).toMatchObject({ statusCode: status, detail: error.message });
    const after = await request(testApp.url).get(`/api/v1/tickets/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' });
    expect(after.body.suggestion).toBeNull();
    const trailAfter = (await request(testApp.url).get(`/api/v1/tickets/${ticket.ticket_id}/events`).auth(support.token, { type: 'bearer' })).body.count;
    expect(trailAfter).toBe(trailBefore);
  });

  it('drops citations of passages that were never retrieved', async () => {
    await request(testApp.url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', MANUAL, 'badges.md').expect(201);
    const ticket = await createTicket(testApp.url, support.token, { title: 'Badge reader does not beep', description: 'How long do I hold the badge?' });
    const search = await request(testApp.url).get('/api/v1/llm/search?q=badge reader beep').auth(support.token, { type: 'bearer' });
    const retrieved = search.body.results[0].chunk_id;
    jest.spyOn(testApp.app.get<ResolutionModel>(RESOLUTION_MODEL), 'suggest').mockResolvedValue({
      summary: 'Hold the badge for two seconds',
      steps: ['Hold the badge flat for two seconds'],
      citedChunkIds: [retrieved, '00000000-0000-4000-8000-000000000000', 'made-up'],
      confidence: 7,
    });
    const response = await request(testApp.url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201);
    expect(response.body.citations).toEqual([{ chunk_id: retrieved, document_id: search.body.results[0].document_id, title: 'Badge readers' }]);
    expect(response.body.confidence).toBe(1);
  });

  /** What `npm run kb:reembed` does (src/knowledge/reembed.ts) on this file's database; `inside` runs in its context before it closes. */
  const reembed = async (overrides: Record<string, string> = {}, inside?: (context: INestApplicationContext) => Promise<void>) => {
    const context = await startContext({ ...testApp.env, ...overrides }, () => import('../src/knowledge/reembed.module').then((module) => module.ReembedModule));
    try {
      await context.get(Reembedding).reembedAll();
      await inside?.(context);
    } finally {
      await context.close();
    }
  };

  /** Every stored vector, as text (pgvector's own rendering of its float4 values). */
  const storedVectors = async (db: DataSource) => ({
    chunks: await db.query(`SELECT id, embedding::text FROM document_chunks ORDER BY id`),
    tickets: await db.query(`SELECT ticket_id, embedding::text FROM ticket_embeddings ORDER BY ticket_id`),
  });

  // Last: these restart and stop the app.
  it('refuses to start on vectors of another embedding model, and kb:reembed replaces them by the configured model’s', async () => {
    const db = testApp.app.get(DataSource);
    await waitFor(async () => (await db.query(`SELECT 1 FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_embeddings e WHERE e.ticket_id = t.id)`)).length === 0);
    const written = await storedVectors(db);
    expect(Math.min(written.chunks.length, written.tickets.length)).toBeGreaterThan(0);
    // As another model leaves them: other vectors under another name.
    const otherVector = pgvector.toSql([1, ...new Array(767).fill(0)]);
    await db.query(`UPDATE documents SET embedding_model = 'ollama:nomic-embed-text'`);
    await db.query(`UPDATE document_chunks SET embedding = $1`, [otherVector]);
    await db.query(`UPDATE ticket_embeddings SET embedding = $1, embedding_model = 'ollama:nomic-embed-text'`, [otherVector]);
    await expect(testApp.restart()).rejects.toThrow(
      'The knowledge base holds vectors made by ollama:nomic-embed-text, but EMBEDDINGS_PROVIDER now gives offline:hashed-ngrams-v1. ' +
        'Run `npm run kb:reembed` once to re-embed everything, or switch back.',
    );

    await reembed();

    testApp = await testApp.restart();
    const after = testApp.app.get(DataSource);
    // The very vectors that ingestion and filing computed with the configured model.
    expect(await storedVectors(after)).toEqual(written);
    const [{ models }] = await after.query(
      `SELECT array_agg(DISTINCT embedding_model) AS models FROM (SELECT embedding_model FROM documents UNION ALL SELECT embedding_model FROM ticket_embeddings) stored`,
    );
    expect(models).toEqual(['offline:hashed-ngrams-v1']);
    const search = await request(testApp.url).get('/api/v1/llm/search?q=badge reader beep').auth(support.token, { type: 'bearer' }).expect(200);
    expect(search.body.results[0].title).toBe('Badge readers');
  });

  it('kb:reembed starts only the knowledge base: workflow runs stay as they are and no admin is created', async () => {
    const db = testApp.app.get(DataSource);
    const [queued, running, unqueued] = [await createTicket(testApp.url, support.token), await createTicket(testApp.url, support.token), await createTicket(testApp.url, support.token)];
    // What a server with workflows would take up at start-up: a queued run, a running one whose lease
    // lapsed, a pending ticket that never got a run. And no admin, nor anyone holding the first admin's
    // identity (ADMIN_EMAIL, employee id ADMIN): the app would create that account.
    // (This suite's app runs without the workflow, so the rows are written as a workflow instance would leave them.)
    await db.query(`INSERT INTO workflow_runs (ticket_id, state, queued_at) VALUES ($1, 'queued', now())`, [queued.ticket_id]);
    await db.query(
      `INSERT INTO workflow_runs (ticket_id, state, queued_at, locked_by, lease_until, attempts) VALUES ($1, 'running', now(), $2, now() - interval '1 hour', 1)`,
      [running.ticket_id, randomUUID()],
    );
    expect((await db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE ticket_id = $1`, [unqueued.ticket_id]))[0].n).toBe(0);
    await db.query(`UPDATE users SET role = 'user', employee_id = 'EMP-FORMER-ADMIN' WHERE role = 'admin'`);
    const snapshot = async (source: DataSource) => ({
      runs: await source.query(`SELECT * FROM workflow_runs ORDER BY ticket_id`),
      users: await source.query(`SELECT * FROM users ORDER BY id`),
    });
    const before = await snapshot(db);
    expect(before.runs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ticket_id: queued.ticket_id, state: 'queued' }),
        expect.objectContaining({ ticket_id: running.ticket_id, state: 'running', lease_until: expect.any(Date) }),
      ]),
    );
    await testApp.stop();

    await reembed({ WORKFLOW_ENABLED: 'true', MAX_CONCURRENT_WORKFLOWS: '2', ADMIN_EMAIL: 'reembed-admin@example.com' }, async (context) => {
      const modules = [...context.get(ModulesContainer).values()].map((module) => module.metatype.name);
      expect(modules).toEqual(expect.arrayContaining(['DatabaseModule', 'KnowledgeModule']));
      expect(modules.filter((name) => APP_ONLY_MODULES.includes(name))).toEqual([]);
      const after = await snapshot(context.get(DataSource));
      expect(after.users).toEqual(before.users);
      expect(after.runs).toEqual(before.runs);
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
