// The one way this module turns text into vectors: in batches, with the model's failures mapped to HTTP
// errors, and every vector checked against the dimensions the columns hold.
import { BadGatewayException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EMBEDDING_DIMENSIONS } from './document-chunk.entity';
import { EMBEDDING_MODEL, EmbeddingModel } from '../models/model.factory';

/** Texts per call to the embedding model; also the size of a batch of chunks or tickets stored together. */
export const EMBEDDING_BATCH = 64;

@Injectable()
export class Embedder {
  constructor(@Inject(EMBEDDING_MODEL) private readonly embeddingModel: EmbeddingModel) {}

  /** The configured model's name, stored beside every vector it makes. */
  get modelName(): string {
    return this.embeddingModel.name;
  }

  /** Vectors for stored texts (chunks, tickets), EMBEDDING_BATCH texts per call. */
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.checked(async () => {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
        vectors.push(...(await this.embeddingModel.embeddings.embedDocuments(texts.slice(start, start + EMBEDDING_BATCH))));
      }
      return vectors;
    });
  }

  /** The vector of a search query (some models embed a query differently from a passage). */
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.checked(async () => [await this.embeddingModel.embeddings.embedQuery(text)]);
    return vector;
  }

  private async checked(embed: () => Promise<number[][]>): Promise<number[][]> {
    let vectors: number[][];
    try {
      vectors = await embed();
    } catch (error) {
      throw new ServiceUnavailableException(
        `The embedding model (${this.embeddingModel.name}) failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
      );
    }
    const wrong = vectors.find((vector) => vector.length !== EMBEDDING_DIMENSIONS);
    if (wrong) throw new BadGatewayException(`The embedding model (${this.embeddingModel.name}) returned ${wrong.length} dimensions, not ${EMBEDDING_DIMENSIONS}`);
    return vectors;
  }
}
