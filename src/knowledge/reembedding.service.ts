// Vectors of different models must not be compared: the check that refuses to start on mixed vectors,
// and the re-embedding of everything (`npm run kb:reembed`) that replaces them.
import { Injectable, Logger } from '@nestjs/common';
import { TicketsService } from '../tickets/tickets.service';
import { Embedder } from './embedder.service';
import { EmbeddingsRepository } from './embeddings.repository';
import { TicketIndex } from './ticket-index.service';

@Injectable()
export class Reembedding {
  private readonly logger = new Logger(Reembedding.name);

  constructor(
    private readonly embeddingsRepository: EmbeddingsRepository,
    private readonly ticketsService: TicketsService,
    private readonly ticketIndex: TicketIndex,
    private readonly embedder: Embedder,
  ) {}

  /** Throws while any stored vector was made by another model than the configured one. */
  async assertNoStaleVectors(): Promise<void> {
    const stale = (await this.embeddingsRepository.embeddingModelsInUse()).filter((model) => model !== this.embedder.modelName);
    if (stale.length === 0) return;
    throw new Error(
      `The knowledge base holds vectors made by ${stale.join(', ')}, but EMBEDDINGS_PROVIDER now gives ` +
        `${this.embedder.modelName}. Run \`npm run kb:reembed\` once to re-embed everything, or switch back.`,
    );
  }

  /** Re-embeds every chunk and ticket with the configured model (after EMBEDDINGS_PROVIDER changed). */
  async reembedAll(): Promise<{ chunks: number; tickets: number }> {
    this.logger.log(`Re-embedding the knowledge base with ${this.embedder.modelName}`);
    let chunks = 0;
    let after: string | null = null;
    for (;;) {
      const batch = await this.embeddingsRepository.findChunksAfter(after, 200);
      if (batch.length === 0) break;
      // The same text as at ingestion (indexText): context, lead, then the chunk.
      const vectors = await this.embedder.embedDocuments(batch.map((chunk) => [chunk.context, chunk.lead, chunk.text].filter(Boolean).join('\n')));
      await this.embeddingsRepository.updateChunkEmbeddings(batch.map((chunk, index) => ({ id: chunk.id, embedding: vectors[index] })));
      chunks += batch.length;
      after = batch[batch.length - 1].id;
    }
    await this.embeddingsRepository.setDocumentsEmbeddingModel(this.embedder.modelName);
    await this.embeddingsRepository.clearTicketEmbeddings();
    let tickets = 0;
    let afterTicket: string | null = null;
    for (;;) {
      const ids = await this.ticketsService.findIdsAfter(afterTicket, 200);
      if (ids.length === 0) break;
      await Promise.all(ids.map((id) => this.ticketIndex.indexTicket(id)));
      tickets += ids.length;
      afterTicket = ids[ids.length - 1];
    }
    this.logger.log(`Re-embedded ${chunks} chunks and ${tickets} tickets`);
    return { chunks, tickets };
  }
}
