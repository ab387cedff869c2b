// What a failing model or a changed embedding model does to the knowledge base: clear 5xx answers,
// nothing half-written, and no mixing of vectors from different models.
import { DataSource } from 'typeorm';
import request from 'supertest';
import { EMBEDDING_MODEL, EmbeddingModel } from '../src/llm/providers/model.factory';
import { ModelUnavailableError, RESOLUTION_MODEL, ResolutionModel } from '../src/llm/providers/resolution-model';
import { bootTestApp, WITHOUT_WORKFLOW, TestApp } from './support/test-app';
import { signInAdmin, signUpAs, SignedIn } from './support/http';
import { createTicket } from './support/tickets';

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

  // Last: it restarts the app.
  it('refuses to start on vectors of another embedding model, and re-embeds them when asked', async () => {
    await testApp.app.get(DataSource).query(`UPDATE documents SET embedding_model = 'ollama:nomic-embed-text'`);
    await expect(testApp.restart()).rejects.toThrow(
      'The knowledge base holds vectors made by ollama:nomic-embed-text, but EMBEDDINGS_PROVIDER now gives offline:hashed-ngrams-v1. ' +
        'Run `npm run kb:reembed` once to re-embed everything, or switch back.',
    );
    testApp = await testApp.restart({ EMBEDDINGS_REEMBED: 'true' });
    const [{ models }] = await testApp.app.get(DataSource).query(`SELECT array_agg(DISTINCT embedding_model) AS models FROM documents`);
    expect(models).toEqual(['offline:hashed-ngrams-v1']);
    const search = await request(testApp.url).get('/api/v1/llm/search?q=badge reader beep').auth(support.token, { type: 'bearer' }).expect(200);
    expect(search.body.results[0].title).toBe('Badge readers');
  });
});
