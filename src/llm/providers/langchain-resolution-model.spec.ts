import { FakeListChatModel } from '@langchain/core/utils/testing';
import { LangChainResolutionModel } from './langchain-resolution-model';
import { ModelUnavailableError, ResolutionRequest } from './resolution-model';

const request: ResolutionRequest = {
  ticket: { title: 'VPN keeps dropping', description: 'The VPN disconnects every hour', requestType: 'network', category: 'network' },
  passages: [{ chunkId: 'c1', documentId: 'd1', title: 'VPN guide', heading: 'Reconnecting', page: null, text: 'Renew the certificate.' }],
  similarTickets: [{ ticketId: 't1', title: 'VPN drops', resolution: 'Renewed the certificate' }],
};

function modelAnswering(...responses: string[]) {
  return new FakeListChatModel({ responses });
}

describe(LangChainResolutionModel.name, () => {
  it('parses the structured answer and strips the chunk: prefix from citations', async () => {
    const answer = JSON.stringify({ summary: 'Renew the VPN certificate', steps: ['Open the VPN client', 'Renew'], citations: ['chunk:c1'], confidence: 0.8 });
    const sut = new LangChainResolutionModel('fake', modelAnswering('```json\n' + answer + '\n```'), 5000);

    await expect(sut.suggest(request)).resolves.toEqual({
      summary: 'Renew the VPN certificate',
      steps: ['Open the VPN client', 'Renew'],
      citedChunkIds: ['c1'],
      confidence: 0.8,
    });
  });

  it('shows the model the ticket, the passages with their ids and the similar tickets', async () => {
    const model = modelAnswering(JSON.stringify({ summary: 's', steps: [], citations: [], confidence: 0.1 }));
    const invoke = jest.spyOn(model, 'invoke');
    const sut = new LangChainResolutionModel('fake', model, 5000);

    await sut.suggest(request);

    const prompt = JSON.stringify(invoke.mock.calls[0][0]);
    expect(prompt).toContain('VPN keeps dropping');
    expect(prompt).toContain('[chunk:c1] VPN guide › Reconnecting');
    expect(prompt).toContain('VPN drops: Renewed the certificate');
  });

  it.each([
    ['text that is not JSON', 'I think you should restart the laptop.'],
    ['JSON of the wrong shape', JSON.stringify({ summary: 'x', steps: 'restart', citations: [], confidence: 3 })],
  ])('turns %s into a ModelUnavailableError', async (_case, response) => {
    const sut = new LangChainResolutionModel('fake', modelAnswering(response), 5000);

    const error = await sut.suggest(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).message).toMatch(/^The language model \(fake\) failed: /);
    expect((error as ModelUnavailableError).timedOut).toBe(false);
  });

  it('turns a thrown provider error into a ModelUnavailableError with its message', async () => {
    class QuotaExceededModel extends FakeListChatModel {
      async _generate(): Promise<never> {
        throw new Error('429 quota exceeded');
      }
    }
    const sut = new LangChainResolutionModel('fake', new QuotaExceededModel({ responses: [] }), 5000);

    await expect(sut.suggest(request)).rejects.toThrow(new ModelUnavailableError('The language model (fake) failed: 429 quota exceeded'));
  });

  it('gives up after the timeout and says the model did not answer in time', async () => {
    const slow = new FakeListChatModel({ responses: ['{}'], sleep: 300 });
    const sut = new LangChainResolutionModel('fake', slow, 50);

    const error = (await sut.suggest(request).catch((caught: unknown) => caught)) as ModelUnavailableError;
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.timedOut).toBe(true);
    expect(error.message).toBe('The language model (fake) did not answer in time');
  });
});
