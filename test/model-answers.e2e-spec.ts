// A real model's answer (Ollama's HTTP API, served by a stand-in on a loopback port) under the same
// composition rules as the offline composer: structured output validated against its schema, refused and
// asked for once more, then taken as "nothing found" so that support takes the ticket; plain text, each
// step once; citations only of passages the model was given.
import request from 'supertest';
import { signInAdmin, signUpAs, SignedIn } from './support/http';
import { ollamaChatAnswer, startStandInModel, StandInModel } from './support/stand-in-model';
import { bootTestApp, TestApp, WITHOUT_WORKFLOW } from './support/test-app';
import { createTicket } from './support/tickets';

const MANUAL = Buffer.from('# Badge readers\n\nHold the badge flat against the reader for two seconds until it beeps.\n');

describe('A real model’s answers (e2e, stand-in model server)', () => {
  let model: StandInModel;
  let testApp: TestApp;
  let support: SignedIn;

  beforeAll(async () => {
    model = await startStandInModel();
    testApp = await bootTestApp({ ...WITHOUT_WORKFLOW, LLM_PROVIDER: 'ollama', EMBEDDINGS_PROVIDER: 'offline', OLLAMA_BASE_URL: model.url, LLM_MAX_RETRIES: '0' });
    const admin = await signInAdmin(testApp.url);
    support = await signUpAs(testApp.url, admin.token, 'support');
    await request(testApp.url).post('/api/v1/llm/ingest_doc').auth(support.token, { type: 'bearer' }).attach('file', MANUAL, 'badges.md').expect(201);
  });
  afterAll(async () => {
    await testApp?.close();
    await model?.close();
  });

  /** Answers the chat calls with `answers` in turn, and records the prompts it was sent. */
  function modelAnswers(...answers: Array<(prompt: string) => string>): string[] {
    const prompts: string[] = [];
    let call = 0;
    model.answerWith(ollamaChatAnswer((prompt) => {
      prompts.push(prompt);
      return answers[Math.min(call++, answers.length - 1)](prompt);
    }));
    return prompts;
  }
  const chunkOf = (prompt: string) => /id="(chunk:[^"]+)"/.exec(prompt)![1];
  const resolve = async () => {
    const ticket = await createTicket(testApp.url, support.token, { title: 'Badge reader does not beep', description: 'How long do I hold the badge?' });
    return (await request(testApp.url).post(`/api/v1/llm/resolve_ticket/${ticket.ticket_id}`).auth(support.token, { type: 'bearer' }).expect(201)).body;
  };

  it('refuses an answer out of schema, asks once more with the reason, and takes the valid one — in plain text, each step once', async () => {
    const prompts = modelAnswers(
      () => 'Hold it for two seconds!',
      (prompt) =>
        JSON.stringify({
          summary: '**Hold** the badge for two seconds',
          steps: ['1. Hold the badge **flat**', '- Hold the badge flat', 'Wait for the `beep`'],
          citations: [chunkOf(prompt), 'chunk:00000000-0000-4000-8000-000000000000'],
          confidence: 0.9,
        }),
    );

    const answer = await resolve();

    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain('That answer was refused');
    expect(answer).toMatchObject({ summary: 'Hold the badge for two seconds', steps: ['Hold the badge flat', 'Wait for the beep'], confidence: 0.9 });
    // Only the passage it was given is cited.
    expect(answer.citations).toEqual([expect.objectContaining({ title: 'Badge readers' })]);
  });

  it('takes a second answer out of schema as nothing found: no steps, no sources, support takes it', async () => {
    const prompts = modelAnswers(() => 'I am not sure.', () => '{"summary": "almost"}');

    const answer = await resolve();

    expect(prompts).toHaveLength(2);
    expect(answer).toMatchObject({ summary: 'I could not find a how-to for this; a support engineer will take it.', steps: [], citations: [], confidence: 0 });
  });
});
