// Every model call honours LLM_TIMEOUT_SECONDS and LLM_MAX_RETRIES — chat and embeddings — against a model
// server that accepts the connection and never answers: the caller gets a clear 503, the workflow run fails
// cleanly and frees its slot, and the server saw exactly 1 + LLM_MAX_RETRIES attempts.
import request from 'supertest';
import { signInAdmin, signUp } from './support/http';
import { startStandInModel, StandInModel } from './support/stand-in-model';
import { bootTestApp, TestApp } from './support/test-app';
import { ACCESS_REQUEST, fileRequest } from './support/workflow';

describe('Model calls under LLM_TIMEOUT_SECONDS and LLM_MAX_RETRIES (e2e)', () => {
  let model: StandInModel;
  let testApp: TestApp;

  beforeAll(async () => {
    model = await startStandInModel();
    testApp = await bootTestApp({
      LLM_PROVIDER: 'ollama',
      EMBEDDINGS_PROVIDER: 'ollama',
      OLLAMA_BASE_URL: model.url,
      LLM_TIMEOUT_SECONDS: '1',
      LLM_MAX_RETRIES: '1',
      WORKFLOW_TIMEOUT: '120',
    });
  });
  afterAll(async () => {
    await testApp?.close();
    await model?.close();
  });

  const attempts = (path: string) => model.requests.filter((requested) => requested === path).length;

  it('answers a search 503 when the embedding model hangs, after 2 attempts of 1 s', async () => {
    const { token } = await signInAdmin(testApp.url);
    const before = attempts('/api/embed');
    const started = Date.now();
    const response = await request(testApp.url).get('/api/v1/llm/search').query({ q: 'vpn drops every hour' }).auth(token, { type: 'bearer' }).expect(503);
    const took = Date.now() - started;
    expect(response.body.detail).toMatch(/^The embedding model \(ollama:.+\) failed: the model did not answer within LLM_TIMEOUT_SECONDS \(1 s\)/);
    expect(attempts('/api/embed') - before).toBe(2);
    // Both attempts waited out their second: the timeout, not an early failure, ended them.
    expect(took).toBeGreaterThanOrEqual(2000);
  });

  it('fails a workflow run whose chat model hangs, within the limits, and frees its slot', async () => {
    const employee = await signUp(testApp.url);
    const before = attempts('/api/chat');
    const filed = await fileRequest(testApp.url, employee.token, ACCESS_REQUEST, true).expect(201);
    expect(filed.body.status).toBe('error');
    expect(attempts('/api/chat') - before).toBe(2);
    const [run] = await testApp.sql<{ state: string }>(`SELECT state FROM workflow_runs WHERE ticket_id = $1`, [filed.body.ticket_id]);
    expect(run.state).toBe('done');
    const health = await request(testApp.url).get('/health').expect(200);
    expect(health.body.checks.queue).toMatchObject({ running_here: 0, waiting: 0 });
  });
});
