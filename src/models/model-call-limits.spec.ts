import { FakeEmbeddings } from '@langchain/core/utils/testing';
import { callWithLimits, LimitedEmbeddings, ModelTimeoutError } from './model-call-limits';

describe('callWithLimits', () => {
  it('tries a hanging call 1 + maxRetries times, each within the timeout, then fails with a timeout', async () => {
    let attempts = 0;
    const aborted: boolean[] = [];
    const started = Date.now();
    const hang = (signal: AbortSignal) => {
      attempts++;
      signal.addEventListener('abort', () => aborted.push(true));
      return new Promise<never>(() => undefined); // ignores the signal, as some providers do
    };

    await expect(callWithLimits({ timeoutMs: 40, maxRetries: 2 }, hang)).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(attempts).toBe(3);
    expect(aborted).toEqual([true, true, true]);
    // Three timeouts and two back-offs (250 + 500 ms), not forever.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('returns the first attempt that answers, after failures', async () => {
    let attempts = 0;
    const flaky = async () => {
      attempts++;
      if (attempts < 2) throw new Error('503 overloaded');
      return 'answer';
    };
    await expect(callWithLimits({ timeoutMs: 1000, maxRetries: 2 }, flaky)).resolves.toBe('answer');
    expect(attempts).toBe(2);
  });

  it('makes no second attempt when maxRetries is 0', async () => {
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw new Error('401 bad key');
    };
    await expect(callWithLimits({ timeoutMs: 1000, maxRetries: 0 }, failing)).rejects.toThrow('401 bad key');
    expect(attempts).toBe(1);
  });
});

describe('LimitedEmbeddings', () => {
  it('bounds an embedding model that never answers', async () => {
    class HangingEmbeddings extends FakeEmbeddings {
      calls = 0;
      override embedQuery(): Promise<number[]> {
        this.calls++;
        return new Promise(() => undefined);
      }
    }
    const inner = new HangingEmbeddings();
    const sut = new LimitedEmbeddings(inner, { timeoutMs: 30, maxRetries: 1 });
    await expect(sut.embedQuery('vpn')).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(inner.calls).toBe(2);
  });
});
