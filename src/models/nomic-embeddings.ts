// Nomic's hosted embedding API (the IT Ticketing System contract names Nomic): nomic-embed-text-v1.5 at 768 dimensions.
import { Embeddings } from '@langchain/core/embeddings';

const ENDPOINT = 'https://api-atlas.nomic.ai/v1/embedding/text';

export class NomicEmbeddings extends Embeddings {
  // Retries are LimitedEmbeddings' (LLM_MAX_RETRIES), as for every provider; `fetchImpl` is the factory's
  // fetchWithin, so that a request that outlives LLM_TIMEOUT_SECONDS is cancelled, not only given up on.
  constructor(
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    super({ maxRetries: 0 });
  }

  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embed(texts, 'search_document');
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embed([text], 'search_query');
    return vector;
  }

  private async embed(texts: string[], taskType: 'search_document' | 'search_query'): Promise<number[][]> {
    const response = await this.fetchImpl(ENDPOINT, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'nomic-embed-text-v1.5', texts, task_type: taskType, dimensionality: 768 }),
    });
    if (!response.ok) throw new Error(`Nomic embedding API answered ${response.status}`);
    const body = (await response.json()) as { embeddings: number[][] };
    return body.embeddings;
  }
}
