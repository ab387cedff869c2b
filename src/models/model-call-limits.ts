// Every call to a hosted or local model (Gemini, Ollama, Nomic; chat and embeddings alike) is bounded the
// same way: each attempt gets LLM_TIMEOUT_SECONDS, a failed or timed-out attempt is tried again up to
// LLM_MAX_RETRIES times with a short back-off, and then the call fails — so a model that hangs makes the
// workflow run fail cleanly instead of holding its slot. The providers' own retries are switched off
// (some honour them, some ignore them), so the count is the same whichever provider is configured.
import { Embeddings } from '@langchain/core/embeddings';

export interface ModelCallLimits {
  timeoutMs: number;
  maxRetries: number;
}

export class ModelTimeoutError extends Error {}

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2000;

/** Runs `call` under the limits; `call` gets a signal that aborts when its attempt times out. */
export async function callWithLimits<T>(limits: ModelCallLimits, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptWithin(limits.timeoutMs, call);
    } catch (error) {
      if (attempt >= limits.maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt)));
    }
  }
}

/** One attempt: settles at the timeout even when the provider ignores the abort signal. */
function attemptWithin<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ModelTimeoutError(`the model did not answer within LLM_TIMEOUT_SECONDS (${timeoutMs / 1000} s)`);
      abort.abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([call(abort.signal), timedOut]).finally(() => clearTimeout(timer));
}

/**
 * A fetch whose requests are cancelled at the timeout, for clients that take no abort signal per call
 * (Ollama's): a hung request would otherwise hold its socket — and, for Ollama embeddings, which run one
 * request at a time, every later embedding — until the server gave up.
 */
export function fetchWithin(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([timeout, init.signal]) : timeout });
  };
}

/** Any embedding model, bounded by the limits. */
export class LimitedEmbeddings extends Embeddings {
  constructor(
    readonly inner: Embeddings,
    private readonly limits: ModelCallLimits,
  ) {
    super({ maxRetries: 0 });
  }

  embedDocuments(texts: string[]): Promise<number[][]> {
    return callWithLimits(this.limits, () => this.inner.embedDocuments(texts));
  }

  embedQuery(text: string): Promise<number[]> {
    return callWithLimits(this.limits, () => this.inner.embedQuery(text));
  }
}
